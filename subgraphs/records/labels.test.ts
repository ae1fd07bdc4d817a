import fc from 'fast-check';
import sensitiveTerms from '../../access-control/sensitive-terms.json';
import { SENSITIVE_CATEGORIES } from '../../access-control/sensitivity';
import { allergyLabel, conditionLabel, encounterLabel, withoutText } from './labels';
import type { AllergyDoc, ConditionDoc, EncounterDoc } from './models';
import { RecordsRepository } from './repository';

const source = { organizationCode: '3201-H001', recordId: 'R-1', uploadedAt: new Date('2026-03-02T01:00:00.000Z') };

function allergy(reactions: string[], substance = 'penicillins', criticality: AllergyDoc['criticality'] = 'HIGH'): AllergyDoc {
  return {
    _id: `a-${substance}`,
    residentId: 'r1',
    substance: { system: 'NMPA-class', code: substance, display: substance },
    category: 'MEDICATION',
    criticality,
    reactions,
    source,
  };
}

describe('labels of the clinical record', () => {
  it('labels an allergy stored before labels existed from its reactions, on read', () => {
    expect(allergyLabel(allergy(['过敏性休克', '发作后焦虑，既往 f41.1']))).toEqual({ categories: ['MENTAL_HEALTH'], organizationCode: '3201-H001' });
    expect(allergyLabel(allergy(['皮疹']))).toEqual({ categories: [], organizationCode: '3201-H001' });
  });

  it('unites a stored label with the one its text gives on read', () => {
    expect(allergyLabel({ ...allergy(['hiv 阻断后皮疹']), sensitivities: ['GENETIC'] }).categories).toEqual(['GENETIC', 'HIV_STI']);
  });

  it('labels a condition and an encounter by their displays, whatever their codes', () => {
    const condition: ConditionDoc = {
      _id: 'c1',
      residentId: 'r1',
      code: { system: 'ICD-10', code: 'I10', display: '原发性高血压，伴抑郁状态' },
      clinicalStatus: 'ACTIVE',
      verificationStatus: 'CONFIRMED',
      onset: null,
      sensitivity: null,
      source,
    };
    expect(conditionLabel(condition).categories).toEqual(['MENTAL_HEALTH']);
    const encounter: EncounterDoc = {
      _id: 'e1',
      residentId: 'r1',
      organizationCode: '3201-H001',
      encounterClass: 'OUTPATIENT',
      status: 'FINISHED',
      department: '心血管内科',
      start: new Date('2026-03-02T01:00:00.000Z'),
      end: null,
      attendingPractitioner: null,
      diagnoses: [{ code: { system: 'ICD-10', code: 'I10', display: '高血压；HIV 感染随访' }, rank: 1, primary: true, sensitivity: null }],
      sensitivities: [],
      chargesFen: null,
      source,
    };
    expect(encounterLabel(encounter).categories).toEqual(['HIV_STI']);
  });

  it('withholds only the text: substance, category and criticality stay', () => {
    const { reactions, ...kept } = allergy(['发作后焦虑']);
    expect(reactions).toEqual(['发作后焦虑']);
    expect(withoutText(allergy(['发作后焦虑']))).toEqual({ ...kept, reactions: null });
  });
});

const category = fc.constantFrom(...SENSITIVE_CATEGORIES);
const listedTerm = category.chain((chosen) =>
  fc.tuple(fc.constant(chosen), fc.constantFrom(...sensitiveTerms[chosen].zh, ...sensitiveTerms[chosen].en.map((term) => term.replace(/\*$/, '')))),
);
const ordinary = fc.constantFrom('皮疹', '瘙痒', '过敏性休克', '呼吸困难', 'urticaria', 'angioedema', '恶心');
const allergies = fc.array(
  fc.record({
    substance: fc.constantFrom('penicillins', 'sulfonamides', 'cephalosporins', 'iodine'),
    criticality: fc.constantFrom('LOW', 'HIGH', 'UNABLE_TO_ASSESS') as fc.Arbitrary<AllergyDoc['criticality']>,
    reactions: fc.array(ordinary, { maxLength: 3 }),
    withheld: fc.boolean(),
  }),
  { maxLength: 6 },
);

describe('labels of the clinical record, for every input', () => {
  it('labels an allergy whose reactions name a listed term, in whichever reaction it is', () => {
    fc.assert(
      fc.property(listedTerm, fc.array(ordinary, { maxLength: 4 }), fc.nat(), ([chosen, term], others, at) => {
        const reactions: string[] = [...others];
        reactions.splice(at % (others.length + 1), 0, `${term} 后加重`);
        expect(allergyLabel(allergy(reactions)).categories).toContain(chosen);
      }),
    );
  });

  it('withholding text never changes what the drug-allergy checks see', () => {
    fc.assert(
      fc.property(allergies, (rows) => {
        const stored = rows.map((row) => allergy(row.reactions, row.substance, row.criticality));
        const shown = stored.map((doc, index) => (rows[index]!.withheld ? withoutText(doc) : doc));
        expect(shown.map((view) => view.reactions)).toEqual(rows.map((row) => (row.withheld ? null : row.reactions)));
        expect(RecordsRepository.safetyFacts(shown, [])).toEqual({
          allergyGroups: rows.map((row) => ({ group: row.substance, criticality: row.criticality })),
          diagnosisCodes: [],
        });
      }),
    );
  });
});
