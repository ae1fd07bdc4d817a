import fc from 'fast-check';
import { safetyVersionOf } from './safety-version';

const notes = fc.uniqueArray(fc.record({ _id: fc.string({ minLength: 1, maxLength: 40 }), nonce: fc.uuid() }), { selector: (note) => note._id, maxLength: 12 });

describe('safetyVersionOf', () => {
  it('is 32 hex characters, and the same for no notes every time', () => {
    expect(safetyVersionOf([])).toMatch(/^[0-9a-f]{32}$/);
    expect(safetyVersionOf([])).toBe(safetyVersionOf([]));
  });

  it('does not depend on the order the notes were read in', () => {
    fc.assert(fc.property(notes, (list) => safetyVersionOf(list) === safetyVersionOf([...list].reverse())));
  });

  it('changes when any note is rewritten, added or left out', () => {
    fc.assert(
      fc.property(notes, fc.nat(), fc.uuid(), (list, pick, nonce) => {
        fc.pre(list.length > 0 && list[pick % list.length]!.nonce !== nonce);
        const index = pick % list.length;
        const rewritten = list.map((note, at) => (at === index ? { ...note, nonce } : note));
        const without = list.filter((_note, at) => at !== index);
        const version = safetyVersionOf(list);
        return version !== safetyVersionOf(rewritten) && version !== safetyVersionOf(without);
      }),
    );
  });
});
