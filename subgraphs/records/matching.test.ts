import { DEFAULT_MATCH_SETTINGS } from '../../platform/config';
import { blockingKeys, classify, type Demographics, scoreCandidate, soundOf } from './matching';

const base: Demographics = { name: '王晓明', gender: 'MALE', birthDate: '1968-04-12', phone: '13912345678', idNumber: null };
const classOf = (a: Demographics, b: Demographics) => classify(scoreCandidate(a, b).score, DEFAULT_MATCH_SETTINGS);

it('links the same demographics with the same phone as certain', () => {
  expect(classOf(base, { ...base })).toBe('CERTAIN');
});

it('treats a homophone typo with the same birth date and phone as possible, not certain', () => {
  expect(soundOf('王小明')).toBe(soundOf('王晓明'));
  expect(classOf(base, { ...base, name: '王小明' })).toBe('POSSIBLE');
});

it('treats a one-character name slip with the same birth date and phone as possible', () => {
  expect(classOf(base, { ...base, name: '王晓名' })).toBe('POSSIBLE');
});

it('keeps twins with different ID numbers apart, whatever else they share', () => {
  const twinA = { ...base, name: '李文', idNumber: '320106196804121234' };
  const twinB = { ...base, name: '李武', idNumber: '320106196804121250' };
  expect(scoreCandidate(twinA, twinB)).toEqual({ score: 0, reasons: ['different ID numbers'] });
  expect(classOf(twinA, twinB)).toBe('NONE');
});

it('does not link a different person born the same day', () => {
  expect(classOf(base, { ...base, name: '陈静', gender: 'FEMALE', phone: '13800000000' })).toBe('NONE');
});

it('derives blocking keys that a birth-date typo still shares through the name', () => {
  const keys = blockingKeys(base);
  expect(keys).toEqual({ birthKey: '1968-04-12|MALE', pinyinKey: 'wangxiaoming|1968', idLast4: null });
  expect(blockingKeys({ ...base, birthDate: '1968-04-21' }).pinyinKey).toBe(keys.pinyinKey);
});
