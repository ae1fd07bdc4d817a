/**
 * The referrals subgraph's view of the demo city: family-doctor contracts at the community
 * health centres, the 17 hospitals that reserve a share of their slots for family doctors,
 * their slot pools for the next 14 days as the service computes them when a hospital
 * publishes (capacity from their share of the bulletin's appointments; 5 also open exam
 * capacity and 8 virtual beds), and referrals in every state.
 */
import { DEFAULT_SLOT_SETTINGS, type SlotSettings } from '../../platform/config';
import type {
  ActiveContractDoc,
  ContractDoc,
  OpenHospitalResourceDoc,
  ParticipatingHospitalDoc,
  ReferralDoc,
  ReferralStatus,
  ReferralTransitionDoc,
  SlotPoolDoc,
} from '../../subgraphs/referrals/models';
import { addDays, beijingDate, DEPARTMENTS, expiresAtOf, hexIdOf, referralSensitivities, slotPoolOf } from '../../subgraphs/referrals/referral-rules';
import type { City } from './city';
import bulletin from './nanjing-2024-09.json';

const DAY_MS = 86_400_000;
const PARTICIPATING_HOSPITALS = bulletin.headline.institutionsReservingSlotsForFamilyDoctors;
export const SPECIALIST_DEPARTMENTS = ['心血管内科', '内分泌科', '呼吸内科', '神经内科'];
/** As the bulletin counts them: 5 hospitals open their exams to primary care, 8 their virtual beds (the first of the ranked participating hospitals). */
const EXAM_HOSPITALS = 5;
const VIRTUAL_BED_HOSPITALS = 8;
export const EXAM_DEPARTMENTS = ['影像科'];
export const VIRTUAL_BED_DEPARTMENTS = ['老年医学科'];

export interface ReferralsSeed {
  contracts: ContractDoc[];
  activeContracts: ActiveContractDoc[];
  participatingHospitals: ParticipatingHospitalDoc[];
  /** The 5 hospitals that open their exams to family doctors, and the 8 that open virtual beds. */
  openHospitalResources: OpenHospitalResourceDoc[];
  pools: SlotPoolDoc[];
  referrals: ReferralDoc[];
  transitions: ReferralTransitionDoc[];
}

/**
 * `slots`: the service's reserved share and release time (configured), so the seeded pools are
 * what publishing them would store. `showcase`: a participating hospital that opens both its
 * exams and its virtual beds (the demo hospital, so the examples find them there).
 */
export function referralsOf(city: City, now: Date, slots: SlotSettings = DEFAULT_SLOT_SETTINGS, showcase: string | null = null): ReferralsSeed {
  const centresByDistrict = new Map<string, string[]>();
  for (const organization of city.organizations.filter((candidate) => candidate.level === 'COMMUNITY')) {
    centresByDistrict.set(organization.district, [...(centresByDistrict.get(organization.district) ?? []), organization.code]);
  }
  const chronic = new Set(
    city.encounters
      .filter((encounter) => encounter.diagnoses.some((diagnosis) => ['I10', 'E11.9', 'J44.9', 'I25.1'].includes(diagnosis.code)))
      .map((encounter) => encounter.residentId),
  );

  // Contracts: most older and chronically ill residents, some others; a few have lapsed.
  const contracts: ContractDoc[] = [];
  for (const resident of city.residents) {
    const age = now.getUTCFullYear() - Number(resident.birthDate.slice(0, 4));
    const roll = parseInt(resident.id.slice(0, 4), 16) / 0xffff;
    if (!(age >= 65 || chronic.has(resident.id) ? roll < 0.75 : roll < 0.12)) continue;
    const centres = centresByDistrict.get(resident.district) ?? [...centresByDistrict.values()].flat();
    const organizationCode = centres[parseInt(resident.id.slice(4, 8), 16) % centres.length]!;
    const since = new Date(now.getTime() - Math.round(roll * 700) * DAY_MS);
    contracts.push({
      _id: hexIdOf(`contract|${resident.id}`),
      residentId: resident.id,
      familyDoctor: `F${organizationCode.slice(-3)}${resident.id.charCodeAt(9) % 8}`,
      organizationCode,
      servicePackage: age >= 65 ? 'ELDERLY' : chronic.has(resident.id) ? 'CHRONIC_DISEASE' : age < 7 ? 'CHILD' : 'BASIC',
      since,
      until: new Date(since.getTime() + (roll < 0.05 ? 300 : 1095) * DAY_MS),
      status: 'ACTIVE',
      terminationReason: null,
    });
  }
  const activeContracts = contracts
    .filter((contract) => contract.until.getTime() >= now.getTime())
    .map((contract) => ({ _id: contract.residentId, contractId: contract._id }));

  // The participating hospitals: as many as the bulletin counts, those with the most appointments in it.
  const { hospitals, ranked } = participatingHospitals(city);
  const pools: SlotPoolDoc[] = [];
  const today = beijingDate(now);
  const participating = ranked.map((row) => ({ _id: hospitals.get(row.name)!, since: new Date(now.getTime() - 365 * DAY_MS) }));
  const openHospitalResources: OpenHospitalResourceDoc[] = [];
  // The showcase hospital first, then the busiest: the first 5 open exams, the first 8 virtual beds.
  const codes = ranked.map((row) => hospitals.get(row.name)!);
  const opening = showcase && codes.includes(showcase) ? [showcase, ...codes.filter((code) => code !== showcase)] : codes;
  ranked.forEach((row) => {
    const organizationCode = hospitals.get(row.name)!;
    const rank = opening.indexOf(organizationCode);
    const offers: [SlotPoolDoc['kind'], string[]][] = [['SPECIALIST', SPECIALIST_DEPARTMENTS]];
    if (rank < EXAM_HOSPITALS) offers.push(['EXAM', EXAM_DEPARTMENTS]);
    if (rank < VIRTUAL_BED_HOSPITALS) offers.push(['VIRTUAL_BED', VIRTUAL_BED_DEPARTMENTS]);
    for (const [kind] of offers.slice(1) as [OpenHospitalResourceDoc['kind'], string[]][])
      openHospitalResources.push({ _id: `${organizationCode}|${kind}`, organizationCode, kind, since: new Date(now.getTime() - 90 * DAY_MS) });
    for (let day = 0; day <= 14; day++) {
      const date = addDays(today, day);
      for (const session of ['MORNING', 'AFTERNOON'] as const) {
        for (const [kind, departments] of offers) {
          for (const department of departments) {
            const capacity = Math.max(4, Math.round(row.total / (kind === 'SPECIALIST' ? 400 : 1200)));
            pools.push(slotPoolOf(organizationCode, { department, date, session, kind, capacity }, true, slots));
          }
        }
      }
    }
  });

  // Referrals in every state of the machine.
  const levels = new Map(city.organizations.map((organization) => [organization.code, organization.level]));
  const transitions: ReferralTransitionDoc[] = [];
  const referrals = city.referrals.map((seed, index): ReferralDoc => {
    const direction = levels.get(seed.fromOrganizationCode) === 'COMMUNITY' ? 'UP' : 'DOWN';
    const requestedAt = new Date(seed.requestedAt);
    const target: Exclude<ReferralStatus, 'EXPIRED'> =
      seed.status === 'REQUESTED'
        ? index % 3 === 0
          ? 'CANCELLED'
          : 'REQUESTED'
        : seed.status === 'ACCEPTED'
          ? (['ACCEPTED', 'SCHEDULED', 'ARRIVED'] as const)[index % 3]!
          : seed.status;
    const steps: ReferralStatus[] =
      target === 'CANCELLED'
        ? ['REQUESTED', 'CANCELLED']
        : target === 'REJECTED'
          ? ['REQUESTED', 'REJECTED']
          : (['REQUESTED', 'ACCEPTED', 'SCHEDULED', 'ARRIVED', 'COMPLETED'].slice(
              0,
              ['REQUESTED', 'ACCEPTED', 'SCHEDULED', 'ARRIVED', 'COMPLETED'].indexOf(target) + 1,
            ) as ReferralStatus[]);
    for (const [step, to] of steps.entries())
      transitions.push({
        _id: `${seed.id}:${step + 1}`,
        referralId: seed.id,
        from: step === 0 ? null : steps[step - 1]!,
        to,
        by: step === 0 ? 'F0001' : 'D0001',
        organizationCode: step === 0 || to === 'CANCELLED' ? seed.fromOrganizationCode : seed.toOrganizationCode,
        at: new Date(requestedAt.getTime() + step * DAY_MS),
      });
    const referral: ReferralDoc = {
      _id: seed.id,
      residentId: seed.residentId,
      direction,
      fromOrganizationCode: seed.fromOrganizationCode,
      fromPractitioner: direction === 'UP' ? 'F0001' : 'D0001',
      toOrganizationCode: seed.toOrganizationCode,
      toDepartment: (DEPARTMENTS as readonly string[]).includes(seed.toDepartment) ? seed.toDepartment : '全科医学科',
      reason: seed.reason,
      diagnoses: [],
      urgency: index % 7 === 0 ? 'URGENT' : 'ROUTINE',
      attachedEncounterIds: city.encounters
        .filter((encounter) => encounter.residentId === seed.residentId)
        .slice(0, 2)
        .map((encounter) => encounter.id),
      attachedLabReportIds: city.labReports
        .filter((report) => report.residentId === seed.residentId)
        .slice(0, 2)
        .map((report) => report.id),
      slot: null,
      status: target,
      version: steps.length,
      requestedAt,
      expiresAt: expiresAtOf(requestedAt),
      rejectionReason: target === 'REJECTED' ? '本院该专科号源已满，建议转诊至其他医院' : null,
      dischargeSummary: direction === 'DOWN' ? '患者住院期间病情稳定，予对症治疗后好转出院。出院诊断见上。' : null,
      followUpPlan: direction === 'DOWN' ? '社区随访血压血糖，每月一次；两周后门诊复查。' : null,
    };
    // Labelled as the subgraph labels what it writes.
    return { ...referral, sensitivities: referralSensitivities(referral) };
  });
  return { contracts, activeContracts, participatingHospitals: participating, openHospitalResources, pools, referrals, transitions };
}

/** The hospitals with the most appointments in the bulletin, as many as it counts reserving slots: they offer slot pools with the reserved share. */
function participatingHospitals(city: Pick<City, 'organizations'>) {
  const hospitals = new Map(
    city.organizations
      .filter((organization) => organization.level === 'TERTIARY' || organization.level === 'SECONDARY')
      .map((organization) => [organization.name, organization.code]),
  );
  const ranked = bulletin.appointmentsByHospital
    .filter((row) => hospitals.has(row.name))
    .sort((a, b) => b.total - a.total)
    .slice(0, PARTICIPATING_HOSPITALS);
  return { hospitals, ranked };
}

/** Codes of the hospitals that offer slot pools (SPECIALIST_DEPARTMENTS every day of the booking horizon). */
export function slotPoolHospitalCodes(city: Pick<City, 'organizations'>): Set<string> {
  const { hospitals, ranked } = participatingHospitals(city);
  return new Set(ranked.map((row) => hospitals.get(row.name)!));
}
