import { categoriesOf, sensitivitiesOfText, sensitivityOfDepartment, sensitivityOfDrug, sensitivityOfIcd10, sensitivityOfLoinc, unionOf } from './sensitivity';

it('labels diagnoses by the chapter or block they fall in', () => {
  expect(sensitivityOfIcd10('F32.9')).toBe('MENTAL_HEALTH');
  expect(sensitivityOfIcd10('B20')).toBe('HIV_STI');
  expect(sensitivityOfIcd10('A53.9')).toBe('HIV_STI');
  expect(sensitivityOfIcd10('O03.9')).toBe('REPRODUCTIVE');
  expect(sensitivityOfIcd10('Q90.9')).toBe('GENETIC');
});

it('leaves ordinary diagnoses unlabelled', () => {
  for (const code of ['I10', 'E11.9', 'J44.9', 'A09', 'B19.9', 'O10.0', 'Z00.0']) expect(sensitivityOfIcd10(code)).toBeNull();
});

it('labels lab items and drugs that reveal a condition', () => {
  expect(sensitivityOfLoinc('75622-1')).toBe('HIV_STI');
  expect(sensitivityOfLoinc('2106-3')).toBe('REPRODUCTIVE');
  expect(sensitivityOfLoinc('14749-6')).toBeNull();
  expect(sensitivityOfDrug('Tenofovir')).toBe('HIV_STI');
  expect(sensitivityOfDrug('sertraline')).toBe('MENTAL_HEALTH');
  expect(sensitivityOfDrug('metformin')).toBeNull();
  expect(categoriesOf(['HIV_STI', null, 'HIV_STI', 'GENETIC'])).toEqual(['HIV_STI', 'GENETIC']);
  expect(unionOf(['GENETIC'], undefined, ['HIV_STI', 'GENETIC'])).toEqual(['GENETIC', 'HIV_STI']);
});

it('labels departments whose name reveals what is treated there', () => {
  expect(sensitivityOfDepartment('精神科')).toBe('MENTAL_HEALTH');
  expect(sensitivityOfDepartment('生殖医学科')).toBe('REPRODUCTIVE');
  expect(sensitivityOfDepartment('心血管内科')).toBeNull();
  expect(sensitivityOfDepartment('妇产科')).toBeNull();
});

it('labels free text by the codes and terms it names', () => {
  expect(sensitivitiesOfText('复诊 F32.9，调整用药')).toEqual(['MENTAL_HEALTH']);
  expect(sensitivitiesOfText('重度抑郁发作，门诊疗效欠佳')).toEqual(['MENTAL_HEALTH']);
  expect(sensitivitiesOfText('HIV 感染随访, B20')).toEqual(['HIV_STI']);
  expect(sensitivitiesOfText('血压控制不佳 I10')).toEqual([]);
  expect(sensitivitiesOfText('MRN-F320 复查')).toEqual([]);
});
