/**
 * The records subgraph's view of the demo city: the master patient index (identifiers at
 * every hospital a resident visited, a few look-alike registrations waiting for review, one
 * merged pair) and the clinical record (encounters with their sources, the problem list,
 * allergies). Deterministic for a given city and seed.
 */
import { createHash } from 'node:crypto';
import { sensitivityOfIcd10 } from '../../access-control/sensitivity';
import { encounterSensitivities } from '../../subgraphs/records/labels';
import { blockingKeys, scoreCandidate } from '../../subgraphs/records/matching';
import type { AllergyDoc, ConditionDoc, EncounterDoc, MatchReviewDoc, ResidentDoc, ResidentIdentifierDoc } from '../../subgraphs/records/models';
import { type City, type EncounterSeed, mulberry32, type ResidentSeed } from './city';

export interface RecordsSeed {
  residents: ResidentDoc[];
  identifiers: ResidentIdentifierDoc[];
  encounters: EncounterDoc[];
  conditions: ConditionDoc[];
  allergies: AllergyDoc[];
  matchReviews: MatchReviewDoc[];
}

/** Diagnoses that go on the problem list when an encounter records them. */
const CHRONIC_CODES = new Set(['I10', 'E11.9', 'J44.9', 'E78.5', 'I25.1', 'F32.9', 'F20.9', 'F31.9', 'F41.9', 'B20']);
const INFECTIOUS_DISEASE_HOSPITAL = '南京市第二医院';
const HIV = { system: 'ICD-10', code: 'B20', display: '人类免疫缺陷病毒[HIV]病' };

const ALLERGENS: [substance: AllergyDoc['substance'], category: AllergyDoc['category'], criticality: AllergyDoc['criticality'], reaction: string][] = [
  [{ system: 'NMPA-class', code: 'penicillins', display: '青霉素类' }, 'MEDICATION', 'HIGH', '过敏性休克'],
  [{ system: 'NMPA-class', code: 'sulfonamides', display: '磺胺类' }, 'MEDICATION', 'LOW', '皮疹'],
  [{ system: 'NMPA-class', code: 'cephalosporins', display: '头孢菌素类' }, 'MEDICATION', 'HIGH', '喉头水肿'],
  [{ system: 'food', code: 'seafood', display: '海鲜' }, 'FOOD', 'LOW', '荨麻疹'],
  [{ system: 'environment', code: 'pollen', display: '花粉' }, 'ENVIRONMENT', 'LOW', '鼻炎'],
];

/** Typing slips a registration desk makes: a homophone or a neighbouring character. */
const LOOKALIKE: Readonly<Record<string, string>> = {
  明: '鸣',
  伟: '玮',
  芳: '方',
  静: '靖',
  丽: '莉',
  强: '墙',
  军: '君',
  敏: '民',
  杰: '洁',
  秀: '绣',
  英: '瑛',
  华: '桦',
  磊: '垒',
  燕: '艳',
  平: '萍',
  刚: '钢',
  红: '宏',
  文: '雯',
  辉: '晖',
};

export function recordsOf(city: City, seed: number): RecordsSeed {
  const random = mulberry32(seed ^ 0x5eed);
  const at = (iso: string) => new Date(iso);
  const hospitalCode = new Map(city.organizations.map((organization) => [organization.name, organization.code]));
  const encounters = city.encounters.map(toEncounter);
  const residents = city.residents.map(toResident);

  // A few adults treated for HIV at the city's infectious disease hospital: sensitive data to protect.
  const secondHospital = hospitalCode.get(INFECTIOUS_DISEASE_HOSPITAL);
  if (secondHospital) {
    for (const resident of city.residents.filter((_, index) => index % 397 === 11).slice(0, 4)) {
      const start = new Date(Date.UTC(2025, 2 + (resident.id.charCodeAt(0) % 6), 10, 2));
      encounters.push({
        _id: hexId(`hiv|${resident.id}`),
        residentId: resident.id,
        organizationCode: secondHospital,
        encounterClass: 'OUTPATIENT',
        status: 'FINISHED',
        department: '感染科',
        start,
        end: new Date(start.getTime() + 3_600_000),
        attendingPractitioner: 'D2001',
        diagnoses: [{ code: HIV, rank: 1, primary: true, sensitivity: sensitivityOfIcd10(HIV.code) }],
        sensitivities: encounterSensitivities('感染科', [HIV]),
        chargesFen: 32_000,
        source: { organizationCode: secondHospital, recordId: `V${resident.id.slice(0, 10)}`, uploadedAt: start },
      });
    }
  }

  const encountersOf = Map.groupBy(encounters, (encounter) => encounter.residentId);
  const identifiers = city.residents.flatMap((resident) => identifiersOf(resident, encountersOf.get(resident.id) ?? []));
  const conditions = conditionsOf(encounters);
  const allergies: AllergyDoc[] = [];
  for (const resident of residents) {
    const roll = random();
    if (roll < 0.15) {
      const [substance, category, criticality, reaction] = ALLERGENS[Math.floor(random() * ALLERGENS.length)]!;
      const source = firstSource(encounters, resident._id);
      if (!source) continue;
      allergies.push({ _id: hexId(`allergy|${resident._id}`), residentId: resident._id, substance, category, criticality, reactions: [reaction], source });
      resident.allergyAssertion = 'HAS_ALLERGIES';
    } else if (roll < 0.6) {
      resident.allergyAssertion = 'NO_KNOWN_ALLERGIES';
    }
  }

  // Look-alike registrations: the same person registered again with a slip in the name and
  // no ID card, waiting in the review queue.
  const matchReviews: MatchReviewDoc[] = [];
  const lookalikeSources = residents.filter((resident) => [...resident.name].some((char) => LOOKALIKE[char])).slice(0, 6);
  for (const [index, original] of lookalikeSources.slice(0, 5).entries()) {
    // Some came back with a new phone number too.
    const twin = { ...lookalike(original), phone: index % 2 ? `139${original._id.slice(0, 8).replace(/[a-f]/g, '7')}` : original.phone };
    residents.push(twin);
    const hospital = encounters.find((encounter) => encounter.residentId === original._id)?.organizationCode ?? city.organizations[0]!.code;
    identifiers.push(identifier(twin._id, 'MEDICAL_RECORD_NUMBER', `MRN${twin._id.slice(0, 8).toUpperCase()}`, hospital));
    const score = scoreCandidate({ ...twin, idNumber: null }, { ...original, idNumber: null });
    matchReviews.push({
      _id: hexId(`review|${twin._id}`),
      status: 'OPEN',
      residentId: twin._id,
      candidate: { residentId: original._id, ...score },
      openedAt: new Date(Date.UTC(2026, 9, 1 + matchReviews.length)),
      openedBy: 'seed',
      organizationCode: hospital,
      resolvedAt: null,
      resolvedBy: null,
      reason: null,
    });
  }

  // One pair already merged: the duplicate's encounter now reads as the survivor's.
  const survivor = lookalikeSources[5];
  if (survivor) {
    const merged = { ...lookalike(survivor), active: false, mergedInto: survivor._id };
    const mergedAt = new Date(Date.UTC(2026, 8, 15));
    merged.mergeHistory = [{ action: 'MERGED_INTO', otherResidentId: survivor._id, by: 'privacy-officer-demo', at: mergedAt, reason: '同一人重复建档' }];
    survivor.mergedIds = [merged._id];
    survivor.mergeHistory = [{ action: 'MERGED', otherResidentId: merged._id, by: 'privacy-officer-demo', at: mergedAt, reason: '同一人重复建档' }];
    residents.push(merged);
    const moved = encounters.find((encounter) => encounter.residentId === survivor._id);
    if (moved) {
      moved.residentId = merged._id;
      identifiers.push(identifier(merged._id, 'MEDICAL_RECORD_NUMBER', `MRN${merged._id.slice(0, 8).toUpperCase()}`, moved.organizationCode));
    }
  }
  return { residents, identifiers: uniqueIdentifiers(identifiers), encounters, conditions, allergies, matchReviews };

  function toResident(seedResident: ResidentSeed): ResidentDoc {
    return {
      _id: seedResident.id,
      name: seedResident.name,
      gender: seedResident.gender,
      birthDate: seedResident.birthDate,
      idNumber: seedResident.idNumber,
      phone: seedResident.phone,
      district: seedResident.district,
      active: true,
      mergedInto: null,
      mergedIds: [],
      mergeHistory: [],
      allergyAssertion: 'UNKNOWN',
      ...blockingKeys(seedResident),
    };
  }

  function toEncounter(encounter: EncounterSeed): EncounterDoc {
    const hours = encounter.encounterClass === 'INPATIENT' ? 24 * 7 : 1;
    const base = encounter.encounterClass === 'INPATIENT' ? 800_000 : encounter.encounterClass === 'VIRTUAL' ? 2_000 : 15_000;
    return {
      _id: encounter.id,
      residentId: encounter.residentId,
      organizationCode: encounter.organizationCode,
      encounterClass: encounter.encounterClass,
      status: 'FINISHED',
      department: encounter.department,
      start: at(encounter.start),
      end: at(encounter.end),
      attendingPractitioner: `D${String(1000 + Math.floor(random() * 9000))}`,
      diagnoses: encounter.diagnoses.map((code, index) => ({ code, rank: index + 1, primary: index === 0, sensitivity: sensitivityOfIcd10(code.code) })),
      sensitivities: encounterSensitivities(encounter.department, encounter.diagnoses),
      chargesFen: Math.round(base * (0.5 + random() * hours ** 0.2)),
      source: { organizationCode: encounter.organizationCode, recordId: `V${encounter.id.slice(0, 10).toUpperCase()}`, uploadedAt: at(encounter.end) },
    };
  }

  function lookalike(original: ResidentDoc): ResidentDoc {
    const name = [...original.name].map((char) => LOOKALIKE[char] ?? char).join('');
    const _id = hexId(`lookalike|${original._id}`);
    return {
      ...original,
      _id,
      name,
      idNumber: null,
      phone: original.phone,
      mergedIds: [],
      mergeHistory: [],
      allergyAssertion: 'UNKNOWN',
      ...blockingKeys({ ...original, name, idNumber: null }),
    };
  }
}

function identifiersOf(resident: ResidentSeed, encounters: EncounterDoc[]): ResidentIdentifierDoc[] {
  const result = [identifier(resident.id, 'RESIDENT_ID_CARD', resident.idNumber, null)];
  if (parseInt(resident.id.slice(-2), 16) % 5 !== 0)
    result.push(identifier(resident.id, 'MEDICAL_INSURANCE_CARD', `NJ${resident.id.slice(0, 10).toUpperCase()}`, null));
  for (const organizationCode of new Set(encounters.map((encounter) => encounter.organizationCode))) {
    result.push(
      identifier(resident.id, 'MEDICAL_RECORD_NUMBER', `MRN${hexId(`${organizationCode}|${resident.id}`).slice(0, 8).toUpperCase()}`, organizationCode),
    );
  }
  return result;
}

/**
 * Each identifier once: in a city of tens of thousands, two of a hospital's 8-character record
 * numbers can collide, and the later one gets a suffix (the demo city has no such pair).
 */
function uniqueIdentifiers(identifiers: ResidentIdentifierDoc[]): ResidentIdentifierDoc[] {
  const used = new Set<string>();
  return identifiers.map((doc) => {
    let unique = doc;
    for (let n = 2; used.has(unique._id); n++) unique = identifier(doc.residentId, doc.system, `${doc.value}-${n}`, doc.assignerCode);
    used.add(unique._id);
    return unique;
  });
}

function identifier(residentId: string, system: ResidentIdentifierDoc['system'], value: string, assignerCode: string | null): ResidentIdentifierDoc {
  return {
    _id: `${system}|${assignerCode ?? ''}|${value.toUpperCase()}`,
    residentId,
    system,
    value: value.toUpperCase(),
    assignerCode,
    createdAt: new Date(Date.UTC(2024, 0, 1)),
  };
}

/** One problem-list entry per resident and chronic diagnosis, from the first encounter that recorded it. */
function conditionsOf(encounters: EncounterDoc[]): ConditionDoc[] {
  const conditions = new Map<string, ConditionDoc>();
  const chronological = [...encounters].sort((a, b) => a.start.getTime() - b.start.getTime());
  for (const encounter of chronological) {
    for (const diagnosis of encounter.diagnoses) {
      const key = `${encounter.residentId}|${diagnosis.code.code}`;
      if (!CHRONIC_CODES.has(diagnosis.code.code) || conditions.has(key)) continue;
      conditions.set(key, {
        _id: hexId(`condition|${key}`),
        residentId: encounter.residentId,
        code: diagnosis.code,
        clinicalStatus: 'ACTIVE',
        verificationStatus: 'CONFIRMED',
        onset: encounter.start.toISOString().slice(0, 10),
        sensitivity: diagnosis.sensitivity,
        source: encounter.source,
      });
    }
  }
  return [...conditions.values()];
}

function firstSource(encounters: EncounterDoc[], residentId: string) {
  return encounters.find((encounter) => encounter.residentId === residentId)?.source ?? null;
}

function hexId(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 24);
}
