import { idNumberCheckCharacter, isValidIdNumber, makeIdNumber, maskIdNumber, maskPhone } from './id-number';

describe('idNumberCheckCharacter', () => {
  it('matches a check digit computed by hand', () => {
    // 3 2 0 1 0 6 1 9 9 0 0 3 0 7 1 2 3 × 7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2
    // = 21+18+0+5+0+24+2+9+54+0+0+27+0+35+8+8+6 = 217; 217 mod 11 = 8; "10X98765432"[8] = '4'
    expect(idNumberCheckCharacter('32010619900307123')).toBe('4');
  });

  it('gives X for the example of the standard itself', () => {
    // 1·7+1·9+0+1·5+0+5·4+1·2+9·1+4·6+9·3+1·7+2·9+3·10+1·5+0+0+2·2 = 167; 167 mod 11 = 2 → 'X'
    expect(idNumberCheckCharacter('11010519491231002')).toBe('X');
  });

  it('refuses anything but 17 digits', () => {
    expect(() => idNumberCheckCharacter('1234')).toThrow();
    expect(() => idNumberCheckCharacter('3201061990030712X')).toThrow();
  });
});

describe('isValidIdNumber', () => {
  it('accepts well-formed numbers', () => {
    expect(isValidIdNumber('320106199003071234')).toBe(true);
    expect(isValidIdNumber('11010519491231002X')).toBe(true);
  });

  it('accepts a lowercase x', () => {
    expect(isValidIdNumber('11010519491231002x')).toBe(true);
  });

  it('rejects a wrong check character', () => {
    expect(isValidIdNumber('320106199003071235')).toBe(false);
    expect(isValidIdNumber('110105194912310021')).toBe(false);
  });

  it('rejects impossible dates even with a matching check character', () => {
    const february30 = '32010619900230123';
    expect(isValidIdNumber(february30 + idNumberCheckCharacter(february30))).toBe(false);
    const month13 = '32010619901301123';
    expect(isValidIdNumber(month13 + idNumberCheckCharacter(month13))).toBe(false);
    const notLeap = '32010619000229123';
    expect(isValidIdNumber(notLeap + idNumberCheckCharacter(notLeap))).toBe(false);
    const leap = '32010620000229123';
    expect(isValidIdNumber(leap + idNumberCheckCharacter(leap))).toBe(true);
  });

  it('rejects wrong lengths and characters', () => {
    expect(isValidIdNumber('')).toBe(false);
    expect(isValidIdNumber('32010619900307123')).toBe(false);
    expect(isValidIdNumber('3201061990030712344')).toBe(false);
    expect(isValidIdNumber('32010619900307X234')).toBe(false);
    expect(isValidIdNumber(' 320106199003071234')).toBe(false);
  });
});

describe('makeIdNumber', () => {
  it('assembles region, birth date, sequence and check character', () => {
    expect(makeIdNumber('320106', '1990-03-07', 123)).toBe('320106199003071234');
    expect(makeIdNumber('110105', '1949-12-31', 2)).toBe('11010519491231002X');
  });

  it('produces valid numbers', () => {
    for (const [region, date, sequence] of [
      ['320102', '2024-02-29', 0],
      ['320118', '1930-01-01', 999],
      ['320111', '2001-10-31', 57],
    ] as const) {
      expect(isValidIdNumber(makeIdNumber(region, date, sequence))).toBe(true);
    }
  });

  it('rejects bad input', () => {
    expect(() => makeIdNumber('32010', '1990-03-07', 1)).toThrow();
    expect(() => makeIdNumber('320106', '1990-02-30', 1)).toThrow();
    expect(() => makeIdNumber('320106', '19900307', 1)).toThrow();
    expect(() => makeIdNumber('320106', '1990-03-07', 1000)).toThrow();
    expect(() => makeIdNumber('320106', '1990-03-07', 1.5)).toThrow();
  });
});

describe('masks', () => {
  it('keeps the first 4 and last 4 characters of an ID number', () => {
    expect(maskIdNumber('320106199003071234')).toBe('3201**********1234');
    expect(maskIdNumber('11010519491231002X')).toBe('1101**********002X');
  });

  it('keeps the first 3 and last 4 digits of a phone number', () => {
    expect(maskPhone('13812345678')).toBe('138****5678');
  });

  it('hides short values entirely', () => {
    expect(maskIdNumber('1234')).toBe('****');
    expect(maskPhone('1234567')).toBe('*******');
  });
});
