/** Per-request loaders of the records subgraph, and the context its resolvers receive. */

import DataLoader from 'dataloader';
import { safetyVersions } from '../../access-control/safety-version';
import { type CountActivity, countAccepted } from '../../monitoring/activity';
import { recordByIdLoader } from '../runtime/loaders';
import type { SubgraphContext } from '../runtime/subgraph-context';
import { Cockpit } from './cockpit';
import { FollowUps } from './follow-ups';
import type { OrganizationDoc, RecordsModels, ResidentDoc } from './models';
import { RecordsRepository } from './repository';

export function createLoaders(repository: RecordsRepository) {
  const organizationByCode = recordByIdLoader((codes: readonly string[]) => repository.organizations.organizationsByCode(codes));
  /** A resident's records of one kind, for many residents at once; null where not permitted. */
  const perResident = <Row>(fetch: (residents: readonly ResidentDoc[]) => Promise<Map<string, Row[]>>) =>
    new DataLoader<ResidentDoc, Row[] | null, string>(
      async (residents) => {
        const rows = await fetch(residents);
        return residents.map((resident) => rows.get(resident._id) ?? null);
      },
      { cacheKeyFn: (resident) => resident._id },
    );

  return {
    /** Requested id (a merged id resolves to its survivor) → the resident, or null when absent or not permitted. */
    residentById: new DataLoader<string, ResidentDoc | null>(async (ids) => {
      const found = await repository.residents.residentsById(ids);
      return ids.map((id) => found.get(id) ?? null);
    }),
    organizationByCode,
    /** An organization that records refer to; one missing from the registry is a data fault. */
    knownOrganization: async (code: string) =>
      (await organizationByCode.load(code)) ?? Promise.reject(new Error(`organization ${code} is not in the registry`)),
    encounterById: recordByIdLoader((ids) => repository.clinical.encountersById(ids)),
    identifiersOf: new DataLoader(
      async (residents: readonly ResidentDoc[]) => {
        const rows = await repository.residents.identifiersOf(residents);
        return residents.map((resident) => rows.filter((row) => row.residentId === resident._id || resident.mergedIds.includes(row.residentId)));
      },
      { cacheKeyFn: (resident) => resident._id },
    ),
    conditionsOf: perResident((residents) => repository.clinical.conditionsOf(residents)),
    allergiesOf: perResident((residents) => repository.clinical.allergiesOf(residents)),
    encountersOf: perResident((residents) => repository.clinical.encountersOf(residents)),
    hotlineCallsOf: perResident((residents) => repository.hotline.callsOf(residents)),
  };
}

/** A prescription as the gateway hands it to records: enough to find the resident. */
export interface PrescriptionRef {
  id: string;
  residentId: string;
  /** Present when the gateway asks for the prescription's encounter. */
  encounterId?: string | null;
}

export function createRecordsContext(models: RecordsModels, base: SubgraphContext) {
  const countActivity: CountActivity = (entries) => countAccepted(base.activity, base.logger, entries);
  const repository = new RecordsRepository(models, base.access, base.settings.matching, countActivity);
  const loaders = {
    ...createLoaders(repository),
    /** Resident id → the version of their safety facts as the viewer may see them (safety-version.ts). */
    safetyVersionOf: new DataLoader<string, string>(async (ids) => {
      const versions = await safetyVersions(base.access, ids);
      return ids.map((id) => versions.get(id)!);
    }),
  };
  // The cockpit's organizations go through the request's loader, so rows naming them cost no further query.
  const primed = async (found: Promise<OrganizationDoc[]>) => {
    const organizations = await found;
    for (const organization of organizations) loaders.organizationByCode.prime(organization._id, organization);
    return organizations;
  };
  const cockpit = new Cockpit(base.viewer, base.activity, {
    byCode: async (codes) => {
      const found = await loaders.organizationByCode.loadMany(codes);
      return new Map(found.flatMap((organization) => (organization && !(organization instanceof Error) ? [[organization._id, organization] as const] : [])));
    },
    atLevel: (level) => primed(repository.organizations.organizationsAtLevel(level)),
    inDistrict: (district) => primed(repository.organizations.organizationsInDistrict(district)),
  });
  return { ...base, repository, loaders, cockpit, followUps: new FollowUps(models, base.access, countActivity) };
}

export type RecordsContext = ReturnType<typeof createRecordsContext>;
