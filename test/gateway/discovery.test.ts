/**
 * Discovery through the real gateway: how the gateway understood a token, the city's
 * organizations, what each hospital offers referrals, the departments, the drug and lab
 * catalogues. Open to every authenticated caller, refused without a token, and never a path
 * to anyone's personal data.
 */

import { readFileSync } from 'node:fs';
import { buildSchema, type GraphQLNamedType, getNamedType, isEnumType, isInputObjectType, isObjectType } from 'graphql';
import jwt from 'jsonwebtoken';
import { addDays, beijingDate } from '../../subgraphs/referrals/referral-rules';
import { SUPERGRAPH_PATH } from '../../tools/compose';
import { insertHospitals, insertResidents, insertSlotPool, modelsOf } from '../support/fixtures';
import { useStack } from '../support/stack-fixture';

const supergraph = () => buildSchema(readFileSync(SUPERGRAPH_PATH, 'utf8'), { assumeValidSDL: true });

const { stack, ok } = useStack();
let doctor: string;
let residentId: string;

const DISCOVERY = {
  viewer: `{ viewer { subject roles organization { code name } practitionerId residentId purposeOfUse tokenExpiresAt } }`,
  organizations: `{ organizations(level: [TERTIARY]) { edges { node { code name referralServices { bookingHorizonDays } } } } }`,
  departments: `{ departments }`,
  drugs: `{ drugs(search: "amlodipine") { code name } }`,
  labItems: `{ labItems(search: "4548-4") { code name } }`,
};

async function refusal(token: string, query: string) {
  const { body } = await stack.query(token, query);
  return (body.errors ?? []).map((error) => [error.extensions?.code, error.message]);
}

beforeAll(async () => {
  await insertHospitals(stack);
  await modelsOf(stack).records.Organization.insertMany([
    { _id: '3201-C001', name: '宁海路社区卫生服务中心', level: 'COMMUNITY', district: '鼓楼区', outpatientVisits: 100, discharges: 0 },
    { _id: '3201-I01', name: 'Jinling 互联网医院', level: 'INTERNET_HOSPITAL', district: '建邺区', outpatientVisits: 10, discharges: 0 },
    { _id: '3201-P01', name: '云药房(新街口)', level: 'PHARMACY', district: '秦淮区', outpatientVisits: 0, discharges: 0 },
  ]);
  residentId = (await insertResidents(stack, { organizationCode: '3201-H001', count: 1 }))[0]!;
  const today = beijingDate(new Date());
  await insertSlotPool(stack, {
    organizationCode: '3201-H001',
    department: '心血管内科',
    kind: 'SPECIALIST',
    date: addDays(today, 2),
    capacity: 10,
    reserved: 3,
  });
  await insertSlotPool(stack, {
    organizationCode: '3201-H001',
    department: '心血管内科',
    kind: 'SPECIALIST',
    date: addDays(today, 2),
    session: 'AFTERNOON',
    capacity: 10,
    reserved: 3,
  });
  await insertSlotPool(stack, {
    organizationCode: '3201-H001',
    department: '心血管内科',
    kind: 'SPECIALIST',
    date: addDays(today, 4),
    capacity: 8,
    reserved: 2,
  });
  await insertSlotPool(stack, { organizationCode: '3201-H001', department: '心血管内科', kind: 'EXAM', date: addDays(today, 3), capacity: 4, reserved: 0 });
  await insertSlotPool(stack, {
    organizationCode: '3201-H001',
    department: '骨科',
    kind: 'SPECIALIST',
    date: addDays(today, 1),
    session: 'AFTERNOON',
    capacity: 6,
    reserved: 0,
  });
  // Beyond the horizon and in the past: not offered.
  await insertSlotPool(stack, { organizationCode: '3201-H001', department: '儿科', date: addDays(today, 20), capacity: 8, reserved: 2 });
  await insertSlotPool(stack, { organizationCode: '3201-H001', department: '眼科', date: addDays(today, -1), capacity: 8, reserved: 2 });
  await insertSlotPool(stack, { organizationCode: '3201-H002', department: '内分泌科', date: addDays(today, 5), capacity: 12, reserved: 0 });
  doctor = stack.token({ subject: 'dr-discovery', roles: ['doctor'], organizationCode: '3201-H001', practitionerId: 'P-D1' });
});

describe('viewer', () => {
  it('says how the gateway understood a clinician token, expiry included', async () => {
    const token = stack.token({
      subject: 'dr-discovery',
      roles: ['doctor', 'family_doctor'],
      organizationCode: '3201-H001',
      practitionerId: 'P-D1',
      purposeOfUse: 'emergency',
    });
    const exp = (jwt.decode(token) as { exp: number }).exp;
    expect((await ok(token, DISCOVERY.viewer)).viewer).toEqual({
      subject: 'dr-discovery',
      roles: ['doctor', 'family_doctor'],
      organization: { code: '3201-H001', name: '江苏省中医院' },
      practitionerId: 'P-D1',
      residentId: null,
      purposeOfUse: 'emergency',
      tokenExpiresAt: new Date(exp * 1000).toISOString(),
    });
  });

  it('gives a resident their own id, no organization, and the default purpose', async () => {
    const token = stack.token({ subject: 'resident-app-1', roles: ['resident'], residentId: 'a1b2c3d4e5f6a1b2c3d4e5f6' });
    expect((await ok(token, `{ viewer { roles organization { code } practitionerId residentId purposeOfUse } }`)).viewer).toEqual({
      roles: ['resident'],
      organization: null,
      practitionerId: null,
      residentId: 'a1b2c3d4e5f6a1b2c3d4e5f6',
      purposeOfUse: 'self',
    });
  });
});

describe('organizations', () => {
  const page = (data: any) => data.organizations.edges.map((edge: any) => edge.node.code);

  it('filters by level, district and part of the name, ordered by code', async () => {
    expect(page(await ok(doctor, `{ organizations(level: [TERTIARY]) { edges { node { code } } } }`))).toEqual(['3201-H001', '3201-H002']);
    expect(page(await ok(doctor, `{ organizations(level: [COMMUNITY, PHARMACY]) { edges { node { code } } } }`))).toEqual(['3201-C001', '3201-P01']);
    expect((await ok(doctor, `{ organizations(district: "鼓楼区") { edges { node { code name level district } } } }`)).organizations.edges).toEqual([
      { node: { code: '3201-C001', name: '宁海路社区卫生服务中心', level: 'COMMUNITY', district: '鼓楼区' } },
      { node: { code: '3201-H002', name: '南京鼓楼医院', level: 'TERTIARY', district: '鼓楼区' } },
    ]);
    expect(page(await ok(doctor, `{ organizations(search: "鼓楼") { edges { node { code } } } }`))).toEqual(['3201-H002']);
    expect(page(await ok(doctor, `{ organizations(search: "JINLING") { edges { node { code } } } }`))).toEqual(['3201-I01']);
    expect(page(await ok(doctor, `{ organizations(search: "(新街口)") { edges { node { code } } } }`))).toEqual(['3201-P01']);
    expect(page(await ok(doctor, `{ organizations(level: [TERTIARY], district: "江宁区") { edges { node { code } } } }`))).toEqual([]);
  });

  it('pages by cursor', async () => {
    const QUERY = `query($after: String) { organizations(level: [SECONDARY], first: 4, after: $after) { edges { node { code } } pageInfo { hasNextPage endCursor } } }`;
    const first = await ok(doctor, QUERY);
    expect(page(first)).toEqual(['3201-H100', '3201-H101', '3201-H102', '3201-H103']);
    expect(first.organizations.pageInfo.hasNextPage).toBe(true);
    const second = await ok(doctor, QUERY, { after: first.organizations.pageInfo.endCursor });
    expect(page(second)).toEqual(['3201-H104', '3201-H105', '3201-H106', '3201-H107']);
    const third = await ok(doctor, QUERY, { after: second.organizations.pageInfo.endCursor });
    expect(page(third)).toEqual(['3201-H108', '3201-H109']);
    expect(third.organizations.pageInfo.hasNextPage).toBe(false);
  });

  it.each([
    [
      'an unknown district',
      `{ organizations(district: "火星区") { edges { cursor } } }`,
      'district must be one of the city’s 12 districts: 玄武区, 秦淮区, 建邺区, 鼓楼区, 浦口区, 栖霞区, 雨花台区, 江宁区, 六合区, 溧水区, 高淳区, 江北新区',
    ],
    ['an empty search', `{ organizations(search: " ") { edges { cursor } } }`, 'search must be 1-30 characters'],
    ['a page of 0', `{ organizations(first: 0) { edges { cursor } } }`, 'first must be between 1 and 100'],
    ['a forged cursor', `{ organizations(after: "not-a-cursor") { edges { cursor } } }`, 'Invalid cursor'],
  ])('refuses %s with a clear BAD_USER_INPUT', async (_label, query, message) => {
    expect(await refusal(doctor, query)).toEqual([['BAD_USER_INPUT', message]]);
  });
});

describe('referral services per organization', () => {
  it('lists departments, slot kinds and places over the horizon, the horizon and the reserved share', async () => {
    const QUERY = `{ organizations(level: [TERTIARY, SECONDARY], first: 3) { edges { node { code referralServices { departments { name kinds capacity reserved } bookingHorizonDays reservesForFamilyDoctors } } } } }`;
    expect((await ok(doctor, QUERY)).organizations.edges).toEqual([
      {
        node: {
          code: '3201-H001',
          referralServices: {
            departments: [
              { name: '心血管内科', kinds: ['SPECIALIST', 'EXAM'], capacity: 32, reserved: 8 },
              { name: '骨科', kinds: ['SPECIALIST'], capacity: 6, reserved: 0 },
            ],
            bookingHorizonDays: 14,
            reservesForFamilyDoctors: true,
          },
        },
      },
      {
        node: {
          code: '3201-H002',
          referralServices: {
            departments: [{ name: '内分泌科', kinds: ['SPECIALIST'], capacity: 12, reserved: 0 }],
            bookingHorizonDays: 14,
            reservesForFamilyDoctors: false,
          },
        },
      },
      { node: { code: '3201-H100', referralServices: { departments: [], bookingHorizonDays: 14, reservesForFamilyDoctors: false } } },
    ]);
  });

  it('asks the slot pools once however many organizations are listed', async () => {
    const slotPoolReads = () => stack.commandsSent.filter((event) => event.command[event.commandName] === 'slotPools').length;
    const before = slotPoolReads();
    const data = await ok(doctor, `{ organizations(first: 12) { edges { node { referralServices { bookingHorizonDays } } } } }`);
    expect(data.organizations.edges).toHaveLength(12);
    expect(slotPoolReads() - before).toBe(1);
  });

  it('is reached through a single organization too', async () => {
    expect((await ok(doctor, `{ organization(code: "3201-H002") { name referralServices { departments { name } } } }`)).organization).toEqual({
      name: '南京鼓楼医院',
      referralServices: { departments: [{ name: '内分泌科' }] },
    });
  });
});

describe('catalogues and departments', () => {
  it('lists the departments that take referrals', async () => {
    expect((await ok(doctor, DISCOVERY.departments)).departments).toEqual([
      '心血管内科',
      '内分泌科',
      '呼吸内科',
      '消化内科',
      '神经内科',
      '肾内科',
      '普通外科',
      '骨科',
      '泌尿外科',
      '妇产科',
      '儿科',
      '眼科',
      '耳鼻咽喉科',
      '皮肤科',
      '肿瘤科',
      '精神科',
      '康复医学科',
      '全科医学科',
      '老年医学科',
      '影像科',
      '检验科',
    ]);
  });

  it('finds drugs by INN, name or code', async () => {
    const drug = {
      code: 'H20093454',
      name: '苯磺酸氨氯地平片 5mg',
      inn: 'amlodipine',
      strength: '5mg',
      doseUnit: 'mg',
      routes: ['oral'],
      drugClass: 'ANTIHYPERTENSIVE',
      chronic: true,
      maxDays: 28,
    };
    const FIELDS = 'code name inn strength doseUnit routes drugClass chronic maxDays';
    expect((await ok(doctor, `{ drugs(search: "AMLODIPINE") { ${FIELDS} } }`)).drugs).toEqual([drug]);
    expect((await ok(doctor, `{ drugs(search: "氨氯地平") { ${FIELDS} } }`)).drugs).toEqual([drug]);
    expect((await ok(doctor, `{ drugs(search: "h20093454") { code } }`)).drugs).toEqual([{ code: 'H20093454' }]);
    expect((await ok(doctor, `{ drugs(first: 3) { code } }`)).drugs).toEqual([{ code: 'H10950129' }, { code: 'H10960112' }, { code: 'H11020687' }]);
  });

  it('lists the drugs of the codes asked for, by code, leaving out unknown ones', async () => {
    expect((await ok(doctor, `{ drugs(codes: ["H20093454", "Z99999999", "H10950129", "H20093454"]) { code inn } }`)).drugs).toEqual([
      { code: 'H10950129', inn: 'sertraline' },
      { code: 'H20093454', inn: 'amlodipine' },
    ]);
    expect((await ok(doctor, `{ drugs(codes: ["H20093454", "H10950129"], search: "sertraline") { code } }`)).drugs).toEqual([{ code: 'H10950129' }]);
  });

  it('finds lab items by category and search', async () => {
    expect((await ok(doctor, `{ labItems(search: "4548-4") { code name category kind unit acceptedUnits members recognitionDays } }`)).labItems).toEqual([
      { code: '4548-4', name: '糖化血红蛋白', category: 'LABORATORY', kind: 'ANALYTE', unit: '%', acceptedUnits: [], members: [], recognitionDays: 90 },
    ]);
    expect((await ok(doctor, `{ labItems(category: IMAGING) { code name kind recognitionDays } }`)).labItems).toEqual([
      { code: '24558-9', name: '腹部超声', kind: 'STUDY', recognitionDays: null },
      { code: '24627-2', name: '胸部CT平扫', kind: 'STUDY', recognitionDays: 180 },
    ]);
  });

  it.each([
    ['drugs', `{ drugs(search: "${'x'.repeat(51)}") { code } }`, 'search must be 1-50 characters'],
    ['drugs', `{ drugs(first: 101) { code } }`, 'first must be between 1 and 100'],
    ['drugs', `{ drugs(codes: []) { code } }`, 'codes must list 1-100 drug codes'],
    ['drugs', `{ drugs(codes: [${Array.from({ length: 101 }, () => '"H20093454"').join(', ')}]) { code } }`, 'codes must list 1-100 drug codes'],
    ['labItems', `{ labItems(search: "") { code } }`, 'search must be 1-50 characters'],
  ])('%s refuses bad input with a clear BAD_USER_INPUT', async (_name, query, message) => {
    expect(await refusal(doctor, query)).toEqual([['BAD_USER_INPUT', message]]);
  });
});

describe('open to every authenticated caller, to nobody else', () => {
  const callers = {
    resident: { subject: 'r-open', roles: ['resident'], residentId: 'a1b2c3d4e5f6a1b2c3d4e5f6' },
    pharmacist: { subject: 'ph-open', roles: ['pharmacist'], organizationCode: '3201-P01' },
    healthCommission: { subject: 'hc-open', roles: ['health_commission'] },
    labSystem: { subject: 'lab-open', roles: ['lab_system'], organizationCode: '3201-H002' },
  } as const;

  it.each(Object.entries(DISCOVERY).flatMap(([name, query]) => Object.entries(callers).map(([caller, identity]) => [name, caller, query, identity] as const)))(
    '%s answers %s',
    async (_name, _caller, query, identity) => {
      const { body } = await stack.query(stack.token({ ...identity, roles: [...identity.roles] }), query);
      expect(body.errors).toBeUndefined();
    },
  );

  it.each(Object.entries(DISCOVERY))('%s is refused without a token', async (_name, query) => {
    const { status, body } = await stack.query(null, query);
    expect(status).toBe(401);
    expect(body.data ?? null).toBeNull();
    expect(body.errors?.map((error) => error.extensions?.code)).toEqual(['UNAUTHENTICATED']);
  });
});

describe('no personal data', () => {
  it('no discovery query reaches a type that carries a resident or their records', () => {
    const schema = supergraph();
    const reached = new Set<string>();
    const visit = (name: string) => {
      if (reached.has(name)) return;
      reached.add(name);
      const type = schema.getType(name);
      if (isObjectType(type)) for (const field of Object.values(type.getFields())) visit(getNamedType(field.type).name);
    };
    for (const query of Object.keys(DISCOVERY)) visit(getNamedType(schema.getQueryType()!.getFields()[query]!.type).name);
    expect([...reached].sort()).toEqual([
      'Boolean',
      // A check-up centre's published packages (Organization.checkupPackages): items and prices, nothing of a resident.
      'CheckupItem',
      'CheckupPackage',
      'Drug',
      // What a hospital opens to family doctors (EXAM, VIRTUAL_BED): an enum, nothing of a resident.
      'HospitalResourceKind',
      'ID',
      'Int',
      'LabCategory',
      'LabItem',
      'LabItemKind',
      'Organization',
      'OrganizationConnection',
      'OrganizationEdge',
      'OrganizationLevel',
      'PageInfo',
      'ReferralDepartment',
      'ReferralServices',
      'SlotKind',
      'String',
      'Viewer',
    ]);
  });

  it('answers with nothing of the residents in the database', async () => {
    const [resident] = await modelsOf(stack).records.Resident.find({ _id: residentId }).lean().exec();
    const texts = await Promise.all(
      [
        ...Object.values(DISCOVERY),
        `{ organizations(first: 100) { edges { node { code name district referralServices { departments { name } } } } } }`,
        `{ drugs(first: 100) { code } }`,
        `{ labItems { code } }`,
      ].map(async (query) => (await stack.query(doctor, query)).text),
    );
    for (const text of texts) for (const secret of [residentId, resident!.name, resident!.idNumber!, resident!.phone!]) expect(text).not.toContain(secret);
  });
});

describe('the schema states the rules of what it accepts', () => {
  // Enums, booleans and input objects describe themselves; `after` takes an endCursor as it is.
  const needsWords = (type: GraphQLNamedType) => !isEnumType(type) && !isInputObjectType(type) && type.name !== 'Boolean';

  it('describes every argument and input field, on itself or in its field ("name: rule")', () => {
    const schema = supergraph();
    const silent: string[] = [];
    for (const type of Object.values(schema.getTypeMap())) {
      if (/^(__|join__|link__)/.test(type.name)) continue;
      if (isInputObjectType(type)) {
        for (const field of Object.values(type.getFields()))
          if (needsWords(getNamedType(field.type)) && !field.description) silent.push(`${type.name}.${field.name}`);
      }
      if (isObjectType(type)) {
        for (const field of Object.values(type.getFields())) {
          for (const arg of field.args) {
            if (arg.name === 'after' || arg.name === 'representations' || !needsWords(getNamedType(arg.type)) || arg.description) continue;
            if (!new RegExp(`\\b${arg.name}:`).test(field.description ?? '')) silent.push(`${type.name}.${field.name}(${arg.name})`);
          }
        }
      }
    }
    expect(silent).toEqual([]);
  });

  it('tells availableSlots callers what an empty answer means and where to look', () => {
    const description = supergraph().getQueryType()!.getFields().availableSlots!.description!;
    for (const hint of ['Empty when', 'Organization.referralServices', 'bookingHorizonDays', 'departments']) expect(description).toContain(hint);
  });
});
