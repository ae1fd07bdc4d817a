/**
 * Record linkage for the master patient index (pure). Blocking keys narrow the index to the
 * few residents who share a birth date and sex, a phone, or a name's sound and birth year;
 * scoring then weighs name, birth date, sex and phone. An identical ID number is decided
 * before any of this; different ID numbers are never the same person (twins stay apart).
 */
import { pinyin } from 'pinyin-pro';
import type { MatchSettings } from '../../platform/config';

export interface Demographics {
  name: string;
  gender: 'MALE' | 'FEMALE' | 'UNKNOWN';
  birthDate: string;
  phone: string | null;
  idNumber: string | null;
}

export interface BlockingKeys {
  birthKey: string;
  pinyinKey: string;
  idLast4: string | null;
}

export function blockingKeys(person: Pick<Demographics, 'name' | 'gender' | 'birthDate' | 'idNumber'>): BlockingKeys {
  return {
    birthKey: `${person.birthDate}|${person.gender}`,
    pinyinKey: `${soundOf(person.name)}|${person.birthDate.slice(0, 4)}`,
    idLast4: person.idNumber ? person.idNumber.slice(-4).toUpperCase() : null,
  };
}

/** How a name sounds, without tones: 王晓明 and 王小明 both give "wangxiaoming". */
export function soundOf(name: string): string {
  return pinyin(name, { toneType: 'none', type: 'array' }).join('').toLowerCase();
}

const WEIGHTS = { name: 0.35, homophone: 0.28, nameTypo: 0.2, birthDate: 0.3, birthDateTypo: 0.1, gender: 0.1, genderConflict: -0.3, phone: 0.25 };

export interface Score {
  score: number;
  reasons: string[];
}

export function scoreCandidate(incoming: Demographics, candidate: Demographics): Score {
  if (incoming.idNumber && candidate.idNumber) {
    return incoming.idNumber.toUpperCase() === candidate.idNumber.toUpperCase()
      ? { score: 1, reasons: ['same ID number'] }
      : { score: 0, reasons: ['different ID numbers'] };
  }
  const reasons: string[] = [];
  let score = 0;
  if (incoming.name === candidate.name) {
    score += WEIGHTS.name;
    reasons.push('same name');
  } else if (soundOf(incoming.name) === soundOf(candidate.name)) {
    score += WEIGHTS.homophone;
    reasons.push('name sounds the same');
  } else if (oneCharacterApart(incoming.name, candidate.name)) {
    score += WEIGHTS.nameTypo;
    reasons.push('name differs in one character');
  }
  if (incoming.birthDate === candidate.birthDate) {
    score += WEIGHTS.birthDate;
    reasons.push('same birth date');
  } else if (oneCharacterApart(incoming.birthDate, candidate.birthDate)) {
    score += WEIGHTS.birthDateTypo;
    reasons.push('birth date differs in one digit');
  }
  if (incoming.gender !== 'UNKNOWN' && candidate.gender !== 'UNKNOWN') {
    if (incoming.gender === candidate.gender) {
      score += WEIGHTS.gender;
      reasons.push('same sex');
    } else {
      score += WEIGHTS.genderConflict;
      reasons.push('different sex');
    }
  }
  if (incoming.phone && incoming.phone === candidate.phone) {
    score += WEIGHTS.phone;
    reasons.push('same phone');
  }
  return { score: Math.max(0, Math.round(score * 100) / 100), reasons };
}

export type MatchClass = 'CERTAIN' | 'POSSIBLE' | 'NONE';

export function classify(score: number, settings: MatchSettings): MatchClass {
  if (score >= settings.certainThreshold) return 'CERTAIN';
  if (score >= settings.possibleThreshold) return 'POSSIBLE';
  return 'NONE';
}

/** Same length, exactly one position different: the commonest typing slip. */
function oneCharacterApart(a: string, b: string): boolean {
  const left = [...a];
  const right = [...b];
  if (left.length !== right.length || left.length < 2) return false;
  return left.filter((char, index) => char !== right[index]).length === 1;
}
