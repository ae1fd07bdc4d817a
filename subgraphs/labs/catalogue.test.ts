import {
  CATALOGUE,
  type CatalogueItem,
  catalogueItem,
  interpretCoded,
  interpretQuantity,
  rangeText,
  recognitionExpiresAt,
  referenceBand,
  toCanonical,
} from './catalogue';

const items = [...CATALOGUE.values()];

function item(code: string): CatalogueItem {
  const found = catalogueItem(code);
  if (!found) throw new Error(`no catalogue item ${code}`);
  return found;
}

it('holds at least 38 items keyed by their own code', () => {
  expect(CATALOGUE.size).toBeGreaterThanOrEqual(38);
  for (const [code, entry] of CATALOGUE) expect(entry.code).toBe(code);
  expect(catalogueItem('0000-0')).toBeUndefined();
});

it('has every panel member as an analyte item', () => {
  const panels = items.filter((entry) => entry.kind === 'PANEL');
  expect(panels.length).toBeGreaterThanOrEqual(4);
  for (const panel of panels) {
    expect(panel.members.length).toBeGreaterThan(0);
    for (const code of panel.members) expect(catalogueItem(code)?.kind).toBe('ANALYTE');
  }
});

it('maps every quantity analyte canonical unit to factor 1, and leaves other kinds without units', () => {
  for (const entry of items) {
    if (entry.valueKind === 'QUANTITY') {
      expect(entry.unit).not.toBeNull();
      expect(entry.units[entry.unit ?? '']).toBe(1);
    } else {
      expect(entry.unit).toBeNull();
      expect(entry.units).toEqual({});
    }
    if (entry.kind !== 'ANALYTE') expect(entry.valueKind).toBeNull();
    if (entry.kind !== 'PANEL') expect(entry.members).toEqual([]);
    if (entry.valueKind === 'CODED') expect(entry.normalCoded).not.toBeNull();
  }
});

it('covers ages 0 to 150 for both sexes wherever an item has ranges', () => {
  for (const entry of items.filter((candidate) => candidate.ranges.length > 0)) {
    for (const sex of ['MALE', 'FEMALE'] as const) {
      for (let age = 0; age < 150; age += 0.5) {
        if (!referenceBand(entry, sex, age)) throw new Error(`${entry.code} has no band for ${sex} aged ${age}`);
      }
    }
  }
});

it('converts every accepted unit, in any case, to the canonical unit and back', () => {
  for (const entry of items) {
    for (const [unit, factor] of Object.entries(entry.units)) {
      expect(factor).toBeGreaterThan(0);
      for (const value of [0.5, 7, 123.4]) {
        const canonical = toCanonical(entry, value, unit)!;
        // Canonical values keep four significant digits: the round trip holds to that precision.
        expect(Math.abs(canonical / factor - value) / value).toBeLessThan(1e-3);
        expect(toCanonical(entry, value, unit.toUpperCase())).toBe(canonical);
      }
    }
  }
});

it('orders every reference range and keeps every critical limit outside it', () => {
  for (const entry of items) {
    for (const band of entry.ranges) {
      expect(band.minAgeYears).toBeLessThan(band.maxAgeYears);
      if (band.low !== null && band.high !== null) expect(band.low).toBeLessThan(band.high);
      if (entry.criticalLow !== null) expect(entry.criticalLow).toBeLessThan(band.low ?? band.high!);
      if (entry.criticalHigh !== null) expect(entry.criticalHigh).toBeGreaterThan(band.high ?? band.low!);
    }
    if (entry.criticalLow !== null && entry.criticalHigh !== null) expect(entry.criticalLow).toBeLessThan(entry.criticalHigh);
  }
});

it('gives every recognition a positive validity, and panels the shortest of their members', () => {
  for (const entry of items) {
    if (entry.recognition) expect(entry.recognition.validityDays).toBeGreaterThan(0);
  }
  for (const panel of items.filter((entry) => entry.kind === 'PANEL')) {
    const days = panel.members.map((code) => item(code).recognition?.validityDays ?? 0);
    expect(panel.recognition?.validityDays).toBe(Math.min(...days));
  }
  expect(item('58410-2').recognition).toEqual({ scope: 'CITY', validityDays: 7 });
  expect(recognitionExpiresAt(item('4548-4'), new Date('2025-01-01T00:00:00Z'))).toEqual(new Date('2025-04-01T00:00:00Z'));
  expect(recognitionExpiresAt(item('89579-7'), new Date())).toBeNull();
});

it('converts accepted units to the canonical unit and rejects others', () => {
  const glucose = item('14749-6');
  expect(toCanonical(glucose, 99, 'mg/dL')).toBeCloseTo(5.49, 1);
  expect(toCanonical(glucose, 99, 'mg/dL')).toBe(5.495);
  expect(toCanonical(glucose, 5.5, 'mmol/L')).toBe(5.5);
  expect(toCanonical(glucose, 5.5, 'mmol/l')).toBe(5.5);
  expect(toCanonical(glucose, 5.5, 'furlongs')).toBeNull();
  expect(toCanonical(item('14682-9'), 1.2, 'mg/dL')).toBe(106.1);
  expect(toCanonical(item('14647-2'), 200, 'mg/dL')).toBe(5.172);
  expect(toCanonical(item('718-7'), 13.5, 'g/dL')).toBe(135);
  expect(toCanonical(item('89579-7'), 12.345, 'ng/mL')).toBe(12345);
});

it('picks the sex-specific band first, then the sex-neutral one', () => {
  const hemoglobin = item('718-7');
  expect(referenceBand(hemoglobin, 'FEMALE', 40)).toMatchObject({ sex: 'FEMALE', low: 115, high: 150 });
  expect(referenceBand(hemoglobin, 'MALE', 40)).toMatchObject({ sex: 'MALE', low: 130, high: 175 });
  expect(referenceBand(hemoglobin, 'UNKNOWN', 40)).toBeNull();
  expect(referenceBand(hemoglobin, 'UNKNOWN', 4)).toMatchObject({ sex: null, low: 112, high: 149 });
  expect(referenceBand(item('14749-6'), 'UNKNOWN', 40)).toMatchObject({ low: 3.9, high: 6.1 });
  expect(referenceBand(item('14682-9'), 'MALE', 5)?.high).toBeLessThan(57);
  expect(referenceBand(hemoglobin, 'FEMALE', -1)).toBeNull();
  expect(referenceBand(item('24627-2'), 'FEMALE', 40)).toBeNull();
});

it('interprets values against the band and the critical limits', () => {
  const potassium = item('2823-3');
  const band = referenceBand(potassium, 'MALE', 50);
  expect(interpretQuantity(potassium, 4.2, band)).toEqual({ interpretation: 'N', critical: false });
  expect(interpretQuantity(potassium, 5.3, band)).toEqual({ interpretation: 'N', critical: false });
  expect(interpretQuantity(potassium, 5.8, band)).toEqual({ interpretation: 'H', critical: false });
  expect(interpretQuantity(potassium, 3.2, band)).toEqual({ interpretation: 'L', critical: false });
  expect(interpretQuantity(potassium, 7.0, band)).toEqual({ interpretation: 'HH', critical: true });
  expect(interpretQuantity(potassium, 2.5, band)).toEqual({ interpretation: 'LL', critical: true });
  expect(interpretQuantity(potassium, 7.0, null)).toEqual({ interpretation: 'HH', critical: true });
  expect(interpretQuantity(potassium, 5.8, null)).toEqual({ interpretation: 'N', critical: false });
  const hemoglobin = item('718-7');
  expect(interpretQuantity(hemoglobin, 55, referenceBand(hemoglobin, 'FEMALE', 30)).interpretation).toBe('LL');
  expect(interpretQuantity(hemoglobin, 200, referenceBand(hemoglobin, 'FEMALE', 30))).toEqual({ interpretation: 'H', critical: false });
  const hdl = item('14646-4');
  expect(interpretQuantity(hdl, 0.9, referenceBand(hdl, 'MALE', 30)).interpretation).toBe('L');
  expect(interpretCoded(item('5196-1'), 'NEG')).toBe('N');
  expect(interpretCoded(item('5196-1'), 'POS')).toBe('A');
});

it('formats bands for display', () => {
  expect(rangeText(referenceBand(item('14749-6'), 'MALE', 40))).toBe('3.9-6.1');
  expect(rangeText(referenceBand(item('14647-2'), 'MALE', 40))).toBe('<5.2');
  expect(rangeText(referenceBand(item('14646-4'), 'FEMALE', 40))).toBe('>1.04');
  expect(rangeText(null)).toBe('');
  expect(rangeText({ sex: null, minAgeYears: 0, maxAgeYears: 150, low: null, high: null })).toBe('');
});
