/** A resident registered at a hospital's desk as its system registers one (registerResident): in the index under its ID card and MRN. */
import type { TestStack } from './stack';

const REGISTER = `mutation($input: RegisterResidentInput!) { registerResident(input: $input) { resident { id } } }`;

export async function registerResident(stack: TestStack, organizationCode: string, idNumber: string, mrn: string): Promise<string> {
  const token = stack.token({ subject: `his-${organizationCode}`, roles: ['hospital_system'], organizationCode });
  const { body } = await stack.query(token, REGISTER, {
    input: {
      name: '韩立新',
      gender: 'MALE',
      birthDate: `${idNumber.slice(6, 10)}-${idNumber.slice(10, 12)}-${idNumber.slice(12, 14)}`,
      idNumber,
      district: '鼓楼区',
      identifier: { system: 'MEDICAL_RECORD_NUMBER', value: mrn },
    },
  });
  if (body.errors) throw new Error(`registration failed: ${JSON.stringify(body.errors)}`);
  return body.data!.registerResident.resident.id as string;
}
