/**
 * Who acts in one sequence of the system-level model test, and how: the sequence's own people
 * (names, birth dates, phones and ID numbers no other sequence uses), a token for every actor
 * (doctors, the centre's family doctors, desks' systems, the resident, a privacy officer, the
 * pharmacist), the operations they send, and how an answer is compared with what the model
 * foretold. Used by system-fuzz.ts and care-steps.ts.
 */
import fc from 'fast-check';
import { makeIdNumber } from '../../../access-control/id-number';
import { insertHospitals, modelsOf } from '../../support/fixtures';
import type { TestStack } from '../../support/stack';
import type { Expected } from './system-model';
import { CENTRE, ORGANIZATIONS, PEOPLE, PHARMACY_CODE, type Step, stepArbitrary } from './system-steps';

export const STEPS_PER_SEQUENCE = 20;
export const sequenceArbitrary = fc.array(stepArbitrary, { minLength: STEPS_PER_SEQUENCE, maxLength: STEPS_PER_SEQUENCE });

const SURNAMES = [
  ...'王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤',
];
const GIVEN = [...'伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红梅鑫波斌宇浩凯健俊帆帅旭宁龙林欣晨辰瑞嘉怡佳'];

/** The people of one sequence: names, birth dates, phones and ID numbers no other sequence uses. */
export function peopleOf(sequence: number) {
  return Array.from({ length: PEOPLE }, (_, index) => {
    const n = sequence * PEOPLE + index;
    const birthDate = new Date(Date.UTC(1940, 0, 1) + (n % 20_000) * 86_400_000).toISOString().slice(0, 10);
    const name =
      SURNAMES[n % SURNAMES.length]! +
      GIVEN[Math.floor(n / SURNAMES.length) % GIVEN.length]! +
      GIVEN[Math.floor(n / (SURNAMES.length * GIVEN.length)) % GIVEN.length]!;
    return {
      name,
      birthDate,
      gender: 'MALE',
      phone: `139${String(n).padStart(8, '0')}`,
      district: '玄武区',
      idNumber: makeIdNumber('320102', birthDate, 11),
      invented: makeIdNumber('320115', birthDate, 13),
    };
  });
}

/** The registry the sequences need: the test hospitals, and the centre and pharmacy (desks register only for organizations in it). */
export async function insertOrganizations(stack: TestStack): Promise<void> {
  await insertHospitals(stack);
  await modelsOf(stack).records.Organization.insertMany([
    { _id: ORGANIZATIONS[CENTRE], name: '测试社区卫生服务中心', level: 'COMMUNITY', district: '玄武区', outpatientVisits: 100, discharges: 0 },
    { _id: PHARMACY_CODE, name: '测试云药房', level: 'PHARMACY', district: '玄武区', outpatientVisits: 0, discharges: 0 },
  ]);
}

export class Violation extends Error {}

/** What the sequences did, counted: the test checks they reached every kind of step, answer and denial. */
export class Coverage {
  readonly counts = new Map<string, number>();
  count(what: string): void {
    this.counts.set(what, (this.counts.get(what) ?? 0) + 1);
  }
  has(what: string): boolean {
    return (this.counts.get(what) ?? 0) > 0;
  }
}

/** The actors of one sequence and the way their answers are checked. */
export function actorsOf(stack: TestStack, sequence: number, steps: readonly Step[], coverage: Coverage) {
  const practitioner = (hospital: number, doctor: number) => `S${sequence}-${hospital}-${doctor}`;
  const actors = {
    practitioner,
    /** A doctor of the organization; the centre's doctors are family doctors. */
    doctorToken: (hospital: number, doctor: number) =>
      stack.token({
        subject: `dr-${practitioner(hospital, doctor)}`,
        roles: [hospital === CENTRE ? 'family_doctor' : 'doctor'],
        organizationCode: ORGANIZATIONS[hospital]!,
        practitionerId: practitioner(hospital, doctor),
      }),
    systemToken: (hospital: number) =>
      stack.token({ subject: `his-${ORGANIZATIONS[hospital]}`, roles: ['hospital_system'], organizationCode: ORGANIZATIONS[hospital]! }),
    residentToken: (residentId: string) => stack.token({ subject: `citizen-${residentId}`, roles: ['resident'], residentId }),
    privacyOfficer: () => stack.token({ subject: 'po-model', roles: ['privacy_officer'] }),
    pharmacistToken: () => stack.token({ subject: `rph-${sequence}`, roles: ['pharmacist'], organizationCode: PHARMACY_CODE }),
    send: async (token: string, query: string, variables: Record<string, unknown>) => {
      const { body } = await stack.query(token, query, variables);
      const code = body.errors?.[0]?.extensions?.code;
      return { data: body.data, body, outcome: body.errors ? String(code) : 'ok' };
    },
    /** Counts the answer under the step's kind (or `what`), and throws when it is not what the model foretold. */
    expectOutcome: (step: number, expected: Expected, actual: string, what: string = steps[step]!.op) => {
      coverage.count(`${what}:${actual}`);
      if (expected !== 'any' && expected !== actual)
        throw new Violation(`step ${step} (${JSON.stringify(steps[step])}): ${what} expected ${expected}, got ${actual}`);
    },
  };
  return actors;
}
export type Actors = ReturnType<typeof actorsOf>;
