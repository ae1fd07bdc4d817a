import fc from 'fast-check';
import {
  canMoveNursing,
  effectiveNursingStatus,
  isFinalNursingStatus,
  NURSING_STATUSES,
  type NursingActor,
  type NursingStatus,
  nursingLabel,
  preconditionProblems,
} from './nursing-rules';

const ACTORS: NursingActor[] = ['orderer', 'centre'];
const status = fc.constantFrom(...NURSING_STATUSES);
const actor = fc.constantFrom(...ACTORS);

describe('the nursing order state machine', () => {
  it('moves an order through accept, visit and complete by the centre, and lets the orderer cancel only before the visit', () => {
    expect(canMoveNursing('ORDERED', 'ACCEPTED', 'centre')).toBe(true);
    expect(canMoveNursing('ACCEPTED', 'VISITED', 'centre')).toBe(true);
    expect(canMoveNursing('VISITED', 'COMPLETED', 'centre')).toBe(true);
    expect(canMoveNursing('ORDERED', 'CANCELLED', 'orderer')).toBe(true);
    expect(canMoveNursing('ACCEPTED', 'CANCELLED', 'orderer')).toBe(true);
    expect(canMoveNursing('VISITED', 'CANCELLED', 'orderer')).toBe(false);
    expect(canMoveNursing('ORDERED', 'ACCEPTED', 'orderer')).toBe(false);
    expect(canMoveNursing('ORDERED', 'CANCELLED', 'centre')).toBe(false);
    expect(canMoveNursing('ORDERED', 'COMPLETED', 'centre')).toBe(false);
    expect(NURSING_STATUSES.filter(isFinalNursingStatus)).toEqual(['COMPLETED', 'CANCELLED', 'REFUSED', 'EXPIRED']);
  });

  it('has no move out of a final state, for anyone', () => {
    fc.assert(
      fc.property(status, status, actor, (from, to, by) => {
        if (isFinalNursingStatus(from)) expect(canMoveNursing(from, to, by)).toBe(false);
      }),
    );
  });

  it('never moves back to ORDERED or into EXPIRED, and only the orderer cancels', () => {
    fc.assert(
      fc.property(status, status, actor, (from, to, by) => {
        if (to === 'ORDERED' || to === 'EXPIRED') expect(canMoveNursing(from, to, by)).toBe(false);
        if (to === 'CANCELLED' && canMoveNursing(from, to, by)) expect(by).toBe('orderer');
        if (by === 'orderer' && canMoveNursing(from, to, by)) expect(to).toBe('CANCELLED');
      }),
    );
  });

  it('completes only orders that were accepted and visited, whatever the sequence of attempted moves', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(status, actor), { maxLength: 12 }), (attempts) => {
        const path: NursingStatus[] = ['ORDERED'];
        for (const [to, by] of attempts) if (canMoveNursing(path.at(-1)!, to, by)) path.push(to);
        if (path.includes('COMPLETED')) expect(path).toEqual(['ORDERED', 'ACCEPTED', 'VISITED', 'COMPLETED']);
        // A path ends at most once, and nothing follows its end.
        expect(path.slice(0, -1).some(isFinalNursingStatus)).toBe(false);
      }),
    );
  });

  it('expires an open order past its end by the clock, and leaves a closed one as it was', () => {
    const expiresAt = new Date('2026-12-31T00:00:00Z');
    const after = new Date('2026-12-31T00:00:01Z');
    expect(effectiveNursingStatus({ status: 'ACCEPTED', expiresAt }, after)).toBe('EXPIRED');
    expect(effectiveNursingStatus({ status: 'ACCEPTED', expiresAt }, expiresAt)).toBe('ACCEPTED');
    expect(effectiveNursingStatus({ status: 'COMPLETED', expiresAt }, after)).toBe('COMPLETED');
  });
});

describe('the nursing catalogue', () => {
  it('takes an order only with every precondition of its service confirmed, naming what is missing or unknown', () => {
    expect(preconditionProblems('INJECTION', ['PRESCRIBED', 'NOT_FIRST_DOSE', 'CARER_PRESENT'])).toEqual([]);
    expect(preconditionProblems('INJECTION', ['PRESCRIBED'])).toEqual(['preconditions: INJECTION needs NOT_FIRST_DOSE, CARER_PRESENT confirmed']);
    expect(preconditionProblems('WOUND_CARE', ['PRESCRIBED', 'WOUND_ASSESSED', 'PICC_RECORD'])).toEqual([
      'preconditions: PICC_RECORD is not a precondition of WOUND_CARE',
    ]);
    expect(preconditionProblems('MASSAGE', [])).toEqual([
      'serviceCode: MASSAGE is not a service of the catalogue (INJECTION, WOUND_CARE, CATHETER_CARE, PICC_MAINTENANCE)',
    ]);
  });

  it('labels an order from its free text, and keeps it the centre’s and the orderer’s own', () => {
    const order = { notes: '患者有抑郁症，请耐心沟通', reason: null, visit: null, organizationCode: '3201-C001', ordererOrganizationCode: '3201-I01' };
    expect(nursingLabel(order)).toEqual({ categories: ['MENTAL_HEALTH'], organizationCode: ['3201-C001', '3201-I01'] });
    expect(nursingLabel({ ...order, notes: '伤口在左小腿', ordererOrganizationCode: null })).toEqual({ categories: [], organizationCode: ['3201-C001'] });
  });
});
