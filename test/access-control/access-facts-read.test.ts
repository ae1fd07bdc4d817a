/**
 * A decision waits on one round of access-store reads, not two: a resident's merge aliases, the
 * viewer's care relationships and the resident's consent are asked for together. Where a merge
 * is found, the facts of every id the survivor stands for are read after it, and the decision
 * is the same as it would have been. Checked by the order of the store's calls on the real
 * embedded database, not by timing.
 */
import { randomUUID } from 'node:crypto';
import { AccessStore } from '../../access-control/access-store';
import { ResidentAccess } from '../../access-control/resident-access';
import type { Viewer } from '../../access-control/viewer';
import { insertHospitals, insertResidents, modelsOf } from '../support/fixtures';
import { useStack } from '../support/stack-fixture';

const HOSPITAL = '3201-H001';
const DOCTOR: Viewer = { subject: 'dr-order', roles: ['doctor'], organizationCode: HOSPITAL, practitionerId: 'P-ORDER-1', purposeOfUse: 'treatment' };

/** The real store, noting when each read it is asked for starts and ends. */
class NotingStore extends AccessStore {
  readonly calls: string[] = [];
  private async noted<T>(name: string, read: () => Promise<T>): Promise<T> {
    this.calls.push(`start ${name}`);
    const result = await read();
    this.calls.push(`end ${name}`);
    return result;
  }
  override identitiesOf(ids: readonly string[]) {
    return this.noted('identitiesOf', () => super.identitiesOf(ids));
  }
  override relationshipsWith(organizationCode: string, ids: readonly string[]) {
    return this.noted('relationshipsWith', () => super.relationshipsWith(organizationCode, ids));
  }
  override consentsOf(ids: readonly string[]) {
    return this.noted('consentsOf', () => super.consentsOf(ids));
  }
}

const { stack } = useStack({}, async () => {
  await insertHospitals(stack);
});

function accessFor(store: AccessStore) {
  return new ResidentAccess(DOCTOR, randomUUID(), 'records', store, { encounterWindowDays: 730 });
}

it('reads aliases, relationships and consent together for a resident no merge touches', async () => {
  const [id] = await insertResidents(stack, { organizationCode: HOSPITAL, count: 1 });
  const store = new NotingStore(modelsOf(stack).access);

  expect([...(await accessFor(store).permitted([id!], 'encounters'))]).toEqual([id]);
  expect(store.calls.slice(0, 3).sort()).toEqual(['start consentsOf', 'start identitiesOf', 'start relationshipsWith']);
  expect(store.calls.filter((call) => call.startsWith('start'))).toHaveLength(3);
});

it('honours a consent read beside the aliases: a blocked hospital is refused', async () => {
  const [id] = await insertResidents(stack, { organizationCode: HOSPITAL, count: 1 });
  await modelsOf(stack).access.Consent.create({ _id: id, restrictedCategories: [], blockedOrganizations: [HOSPITAL], updatedAt: new Date() });
  const store = new NotingStore(modelsOf(stack).access);

  expect([...(await accessFor(store).permitted([id!], 'encounters'))]).toEqual([]);
  expect(store.calls.filter((call) => call.startsWith('start'))).toHaveLength(3);
});

it('reads the survivor’s facts again once a merge is found, and decides on them', async () => {
  // The merged record has no standing of its own at the hospital; its survivor has.
  const [survivor] = await insertResidents(stack, { organizationCode: HOSPITAL, count: 1 });
  const [merged] = await insertResidents(stack, { organizationCode: '3201-H002', count: 1 });
  const store = new NotingStore(modelsOf(stack).access);
  await store.recordMerge([merged!], survivor!);
  store.calls.length = 0;

  expect([...(await accessFor(store).permitted([merged!], 'encounters'))].sort()).toEqual([merged, survivor].sort());
  const afterAliases = store.calls.slice(store.calls.indexOf('end identitiesOf'));
  expect(afterAliases.filter((call) => call.startsWith('start')).sort()).toEqual(['start consentsOf', 'start relationshipsWith']);
});

it('gives the same answer as before for a merged-away id the viewer has no standing for', async () => {
  const [survivor] = await insertResidents(stack, { organizationCode: '3201-H002', count: 1 });
  const [merged] = await insertResidents(stack, { organizationCode: HOSPITAL, count: 1 });
  const store = new NotingStore(modelsOf(stack).access);
  await store.recordMerge([merged!], survivor!);

  // The hospital's standing was with the merged record, which the survivor now stands for.
  expect([...(await accessFor(store).permitted([survivor!], 'encounters'))]).toEqual([survivor]);
  expect([...(await accessFor(store).permitted([merged!], 'encounters'))].sort()).toEqual([merged, survivor].sort());
});
