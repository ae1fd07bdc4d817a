import { sensitivityOfIcd10 } from './sensitivity';

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
