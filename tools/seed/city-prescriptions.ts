/**
 * The city's prescriptions: which encounters prescribe (hospitals, and internet hospitals
 * renewing chronic treatment), the drugs for each diagnosis (a chronic patient's own
 * regimen, or a draw from the treatment table), when they are issued and their status.
 */

import { DAY, iso, MINUTE } from './city-calendar';
import { drug, TREATMENTS } from './city-drugs';
import { ageAt, type Generation, type Person } from './city-generation';
import { at, type Random } from './city-random';
import type { EncounterSeed, PrescriptionItemSeed, PrescriptionSeed } from './city-records';
import { PRESCRIPTIONS_PER_VISIT } from './city-volume';

export function drawPrescriptions(generation: Generation, people: readonly Person[]): PrescriptionSeed[] {
  const prescriptions: PrescriptionSeed[] = [];
  for (const person of people) prescriptions.push(...prescriptionsOf(generation, person));
  return prescriptions;
}

function prescriptionsOf(generation: Generation, person: Person): PrescriptionSeed[] {
  const { random, now, organizations } = generation;
  const prescriptions: PrescriptionSeed[] = [];
  const chronic = person.chronic.length > 0;
  const candidates = (generation.encountersOf.get(person) ?? []).filter((encounter) => {
    const level = organizations.organizationOf(encounter.organizationCode).seed.level;
    // Internet hospitals renew prescriptions for chronic conditions.
    const renewal = level === 'INTERNET_HOSPITAL' && encounter.diagnoses.some((diagnosis) => person.chronic.includes(diagnosis.code));
    const prescribes = level === 'TERTIARY' || level === 'SECONDARY' || renewal;
    return prescribes && encounter.diagnoses.some((diagnosis) => TREATMENTS.has(diagnosis.code));
  });
  const wanted = person.visits !== null ? Math.round(person.visits * PRESCRIPTIONS_PER_VISIT) : chronic ? random.int(1, 4) : random.index([40, 35, 18, 5, 2]);
  for (const encounter of random.shuffled(candidates).slice(0, wanted)) {
    const items = itemsFor(random, person, encounter);
    if (!items.length) continue;
    const start = Date.parse(encounter.start);
    const end = Date.parse(encounter.end);
    // Inpatients get their prescription on the day they go home.
    const issuedAt =
      encounter.encounterClass === 'INPATIENT'
        ? end - random.int(60, 180) * MINUTE
        : start + Math.round(((end - start) * (0.5 + 0.4 * random.float())) / MINUTE) * MINUTE;
    const daysAgo = (now - issuedAt) / DAY;
    const statuses: PrescriptionSeed['status'][] = ['SIGNED', 'APPROVED', 'DISPENSED', 'CANCELLED'];
    const status = at(statuses, random.index(daysAgo < 2 ? [30, 30, 35, 5] : [2, 3, 88, 7]));
    prescriptions.push({
      id: generation.newId(),
      residentId: person.seed.id,
      organizationCode: encounter.organizationCode,
      issuedAt: iso(Math.min(issuedAt, now)),
      status,
      items,
    });
  }
  return prescriptions;
}

/** Up to four drugs, none twice: the regimen for a chronic condition, else one or two of its treatments. */
function itemsFor(random: Random, person: Person, encounter: EncounterSeed): PrescriptionItemSeed[] {
  const child = ageAt(person, Date.parse(encounter.start)) < 14;
  const items: PrescriptionItemSeed[] = [];
  for (const diagnosis of encounter.diagnoses) {
    const treatment = TREATMENTS.get(diagnosis.code);
    if (!treatment) continue;
    const [, adults, children, minDays, maxDays] = treatment;
    const regimen = person.regimen.get(diagnosis.code);
    const options = child ? children : adults;
    const drugs =
      regimen ??
      (options.length
        ? random
            .shuffled(options)
            .slice(0, random.chance(0.3) ? 2 : 1)
            .map(drug)
        : []);
    for (const chosen of drugs) {
      if (items.length >= 4 || items.some((item) => item.drug.code === chosen.coding.code)) continue;
      const days = chosen.frequency === 'prn' ? Math.min(maxDays, 7) : regimen ? random.pick([14, 28, 28, 28]) : random.int(minDays, maxDays);
      items.push({ drug: chosen.coding, inn: chosen.inn, dose: chosen.dose, frequency: chosen.frequency, days: Math.max(3, days) });
    }
  }
  return items;
}
