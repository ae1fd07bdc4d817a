/**
 * $import: each NDJSON FHIR resource as the line of the batch upload it stands for (the input
 * of recordEncounter, recordCondition, recordAllergy, submitLabReport or a filed prescription). Only the mapping is
 * here: the upload path then checks the line as the mutation's input, and the subgraph
 * validates, authorizes, audits and files it, idempotent on the hospital's record id.
 * Fields the mapping does not read are not imported (docs/fhir.md lists the ones it reads).
 */
import type {
  AllergyIntolerance,
  CodeableConcept,
  Condition,
  DiagnosticReport,
  Encounter,
  Medication,
  MedicationDispense,
  MedicationRequest,
  Observation,
  Reference,
  Resource,
} from '@medplum/fhirtypes';
import { DATE_OR_TIME_RULE, DATE_RULE, dayOrInstantOf, instantOf, isCalendarDate, quoted, TIME_RULE } from '../../platform/calendar';
import { ApiError } from '../../platform/errors';
import type { UploadKind } from '../uploads';
import { DIAGNOSIS_SYSTEMS, SYSTEMS, sourceRecordSystem, storedSystem } from './terminology';

export type Mapped = { kind: UploadKind; value: Record<string, unknown> } | { problem: string };

/** The sex and birth date of the subject as the lab knows them (they choose the reference ranges): project-defined extensions of DiagnosticReport. */
export const SUBJECT_SEX_EXTENSION = 'urn:jinling-hie:fhir:extension:subject-sex';
export const SUBJECT_BIRTH_DATE_EXTENSION = 'urn:jinling-hie:fhir:extension:subject-birth-date';
/** A visit's charges (what the cockpit counts as revenue): a project-defined extension of Encounter, valueMoney in CNY. */
export const ENCOUNTER_CHARGES_EXTENSION = 'urn:jinling-hie:fhir:extension:encounter-charges';

/** What is wrong with a resource: thrown from deep in a mapping, answered as the line's problem. */
const fail = (message: string): never => {
  throw new ApiError('BAD_USER_INPUT', message);
};

/** A FHIR instant or dateTime the line carries as it is, refused under its FHIR name when it is not on the calendar. */
function timeIn(value: string | undefined, field: string): string {
  if (value === undefined) return fail(`${field} is required`);
  return instantOf(value) ? value : fail(`${field} ${TIME_RULE} (not ${quoted(value)})`);
}

function dateIn(value: string, field: string): string {
  return isCalendarDate(value) ? value : fail(`${field} ${DATE_RULE} (not ${quoted(value)})`);
}

function residentOf(reference: Reference | undefined, field: string): string {
  const match = /^Patient\/([0-9a-f]{24})$/.exec(reference?.reference ?? '');
  return match ? match[1]! : fail(`${field} must reference Patient/<id> (24 lowercase hex characters)`);
}

/** The hospital's own record id: the identifier in the caller's source-record system. */
function sourceRecordId(resource: { identifier?: { system?: string; value?: string }[] }, organizationCode: string): string {
  const system = sourceRecordSystem(organizationCode);
  const identifier = resource.identifier?.find((candidate) => candidate.system === system);
  return identifier?.value ?? fail(`identifier with system ${system} (your record id) is required`);
}

/** The concept's first coding in one of `systems`. */
function codingOf(concept: CodeableConcept | undefined, systems: string | readonly string[], field: string) {
  const accepted = typeof systems === 'string' ? [systems] : systems;
  const coding = concept?.coding?.find((candidate) => candidate.system !== undefined && accepted.includes(candidate.system) && candidate.code);
  return coding ?? fail(`${field} needs a coding with system ${accepted.join(' or ')}`);
}

/** The code of the concept's coding in `systems`. */
const codeIn = (concept: CodeableConcept | undefined, systems: string | readonly string[], field: string): string => codingOf(concept, systems, field).code!;

/** A diagnosis: ICD-10 code and the hospital's display. */
function diagnosisIn(concept: CodeableConcept | undefined, field: string) {
  const coding = codingOf(concept, DIAGNOSIS_SYSTEMS, field);
  return { code: coding.code!, display: coding.display ?? concept?.text ?? fail(`${field} needs a display or text`) };
}

/** A quantity's unit: its UCUM code (a unit in another system is refused, not guessed at). */
function ucumUnit(quantity: { system?: string; code?: string; unit?: string }, field: string): string | undefined {
  if (quantity.system !== undefined && quantity.system !== SYSTEMS.ucum) fail(`${field} must be in UCUM (${SYSTEMS.ucum})`);
  return quantity.code ?? quantity.unit;
}

const upper = (code: string | undefined, field: string) => (code ? code.toUpperCase().replaceAll('-', '_') : fail(`${field} is required`));

const ENCOUNTER_CLASSES: Readonly<Record<string, string>> = { AMB: 'OUTPATIENT', EMER: 'EMERGENCY', IMP: 'INPATIENT', VR: 'VIRTUAL' };

function encounterLine(encounter: Encounter, organizationCode: string): Record<string, unknown> {
  const encounterClass =
    ENCOUNTER_CLASSES[encounter.class?.system === SYSTEMS.v3ActCode ? (encounter.class.code ?? '') : ''] ??
    fail(`class must be ${SYSTEMS.v3ActCode} AMB, EMER, IMP or VR`);
  const attending = encounter.participant?.[0]?.individual;
  return {
    residentId: residentOf(encounter.subject, 'subject'),
    sourceRecordId: sourceRecordId(encounter, organizationCode),
    class: encounterClass,
    status: upper(encounter.status, 'status'),
    department: encounter.serviceType?.text ?? encounter.serviceType?.coding?.[0]?.display ?? fail('serviceType.text (the department) is required'),
    start: timeIn(encounter.period?.start, 'period.start'),
    ...(encounter.period?.end ? { end: timeIn(encounter.period.end, 'period.end') } : {}),
    ...(attending ? { attendingPractitioner: attending.identifier?.value ?? attending.display } : {}),
    ...chargesOf(encounter),
    // reasonCode in rank order; the first is the primary diagnosis.
    diagnoses: (encounter.reasonCode ?? []).map((reason, index) => ({
      ...diagnosisIn(reason, `reasonCode[${index}]`),
      rank: index + 1,
      primary: index === 0,
    })),
  };
}

/** The charges extension as the upload's chargesFen: yuan with at most two decimals, in fen (1 yuan = 100 fen). */
function chargesOf(encounter: Encounter): { chargesFen?: number } {
  const charges = (encounter.extension ?? []).filter((extension) => extension.url === ENCOUNTER_CHARGES_EXTENSION);
  if (charges.length === 0) return {};
  const field = `extension ${ENCOUNTER_CHARGES_EXTENSION}`;
  if (charges.length > 1) fail(`${field} may appear once`);
  const money = charges[0]!.valueMoney;
  if (typeof money?.value !== 'number' || money.currency !== 'CNY') return fail(`${field} needs valueMoney with a value and currency CNY`);
  const fen = Math.round(money.value * 100);
  // Decimal yuan, compared in fen so that 0.1 + 0.2 style representations of two decimals pass.
  if (money.value < 0 || Math.abs(money.value * 100 - fen) > 1e-6) fail(`${field}: valueMoney.value must be at least 0 with at most two decimals`);
  return { chargesFen: fen };
}

/** The day a condition began: its onset's own date, a date or a time on the calendar. */
function onsetDayOf(onset: string): string {
  return dayOrInstantOf(onset) ? onset.slice(0, 10) : fail(`onsetDateTime ${DATE_OR_TIME_RULE} (not ${quoted(onset)})`);
}

function conditionLine(condition: Condition, organizationCode: string): Record<string, unknown> {
  const verification = upper(condition.verificationStatus?.coding?.[0]?.code, 'verificationStatus');
  return {
    residentId: residentOf(condition.subject, 'subject'),
    sourceRecordId: sourceRecordId(condition, organizationCode),
    ...diagnosisIn(condition.code, 'code'),
    // FHIR leaves out the clinical status of a condition entered in error; the exchange records it as inactive.
    clinicalStatus: verification === 'ENTERED_IN_ERROR' ? 'INACTIVE' : upper(condition.clinicalStatus?.coding?.[0]?.code, 'clinicalStatus'),
    verificationStatus: verification,
    ...(condition.onsetDateTime ? { onset: onsetDayOf(condition.onsetDateTime) } : {}),
  };
}

function allergyLine(allergy: AllergyIntolerance, organizationCode: string): Record<string, unknown> {
  const base = { residentId: residentOf(allergy.patient, 'patient'), sourceRecordId: sourceRecordId(allergy, organizationCode) };
  if (allergy.code?.coding?.some((coding) => coding.system === SYSTEMS.snomed && coding.code === '716186003')) return { ...base, noKnownAllergies: true };
  const coding = allergy.code?.coding?.[0];
  if (!coding?.system || !coding.code) return fail('code needs a coding with system and code');
  return {
    ...base,
    substance: {
      system: storedSystem(coding.system),
      code: coding.code,
      display: coding.display ?? allergy.code?.text ?? fail('code needs a display or text'),
    },
    category: upper(allergy.category?.[0], 'category'),
    criticality: upper(allergy.criticality, 'criticality'),
    reactions: (allergy.reaction ?? []).flatMap((reaction) =>
      reaction.manifestation.map((manifestation) => manifestation.text ?? manifestation.coding?.[0]?.display ?? fail('reaction.manifestation needs text')),
    ),
  };
}

const LAB_CATEGORIES: Readonly<Record<string, string>> = { LAB: 'LABORATORY', RAD: 'IMAGING', SP: 'PATHOLOGY', EC: 'ELECTROPHYSIOLOGY' };
const SEXES: Readonly<Record<string, string>> = { male: 'MALE', female: 'FEMALE', unknown: 'UNKNOWN' };

/** A result line: an Observation contained in the report and referenced from `result` as `#id` (import-references.ts contains the ones sent beside it). */
function resultLine(report: DiagnosticReport, reference: Reference, index: number): Record<string, unknown> {
  const id = reference.reference?.startsWith('#')
    ? reference.reference.slice(1)
    : fail(`result[${index}] must reference a contained Observation (#id) or an Observation sent in the same batch`);
  const observation =
    report.contained?.find((resource): resource is Observation => resource.resourceType === 'Observation' && resource.id === id) ??
    fail(`result[${index}] references #${id}, which is not a contained Observation`);
  const quantity = observation.valueQuantity;
  return {
    code: codeIn(observation.code, SYSTEMS.loinc, `result[${index}].code`),
    ...(quantity ? { value: quantity.value, unit: ucumUnit(quantity, `result[${index}].valueQuantity`) } : {}),
    ...(observation.valueCodeableConcept ? { valueCode: observation.valueCodeableConcept.coding?.[0]?.code } : {}),
    ...(observation.valueString !== undefined ? { valueText: observation.valueString } : {}),
    ...(observation.method?.text ? { method: observation.method.text } : {}),
  };
}

function labReportLine(report: DiagnosticReport, organizationCode: string): Record<string, unknown> {
  const extension = (url: string) => report.extension?.find((candidate) => candidate.url === url);
  const category = report.category
    ?.flatMap((concept) => concept.coding ?? [])
    .find((coding) => coding.system === 'http://terminology.hl7.org/CodeSystem/v2-0074');
  const localCode = report.code.coding?.find((coding) => coding.system === `urn:jinling-hie:local-item:${organizationCode}`);
  return {
    residentId: residentOf(report.subject, 'subject'),
    sourceReportId: sourceRecordId(report, organizationCode),
    category: LAB_CATEGORIES[category?.code ?? ''] ?? fail('category needs a v2-0074 coding LAB, RAD, SP or EC'),
    code: codeIn(report.code, SYSTEMS.loinc, 'code'),
    ...(localCode?.code ? { localCode: localCode.code } : {}),
    status: upper(report.status, 'status'),
    ...(report.effectiveDateTime ? { effectiveAt: timeIn(report.effectiveDateTime, 'effectiveDateTime') } : {}),
    issuedAt: timeIn(report.issued, 'issued'),
    ...(report.conclusion ? { conclusion: report.conclusion } : {}),
    subjectSex:
      SEXES[extension(SUBJECT_SEX_EXTENSION)?.valueCode ?? ''] ?? fail(`extension ${SUBJECT_SEX_EXTENSION} (valueCode male, female or unknown) is required`),
    subjectBirthDate: dateIn(
      extension(SUBJECT_BIRTH_DATE_EXTENSION)?.valueDate ?? fail(`extension ${SUBJECT_BIRTH_DATE_EXTENSION} (valueDate) is required`),
      'subject-birth-date',
    ),
    results: (report.result ?? []).map((reference, index) => resultLine(report, reference, index)),
  };
}

/** The resource `reference` (`#id`) names among the resource's contained ones, of the type expected. */
function containedOf<T extends Resource>(parent: { contained?: Resource[] }, reference: Reference | undefined, type: T['resourceType'], field: string): T {
  const id = reference?.reference?.startsWith('#') ? reference.reference.slice(1) : fail(`${field} must reference a contained ${type} (#id)`);
  return (
    (parent.contained?.find((resource) => resource.resourceType === type && resource.id === id) as T | undefined) ??
    fail(`${field} references #${id}, which is not a contained ${type}`)
  );
}

/** A practitioner as a reference names one: by identifier value, or by display. */
const practitionerOf = (reference: Reference | undefined, field: string): string =>
  reference?.identifier?.value ?? reference?.display ?? fail(`${field} needs an identifier value or a display`);

/**
 * A prescription the hospital's pharmacy dispensed, filed as one MedicationDispense (FHIR
 * gives each its one medication, so each drug is its own filed prescription): the drug and its
 * lot in a contained Medication, the order it fills in a contained MedicationRequest.
 */
function dispensedPrescriptionLine(dispense: MedicationDispense, organizationCode: string): Record<string, unknown> {
  if (dispense.status !== 'completed') fail('status must be completed (a dispensed prescription)');
  const medication = containedOf<Medication>(dispense, dispense.medicationReference, 'Medication', 'medicationReference');
  const order = containedOf<MedicationRequest>(dispense, dispense.authorizingPrescription?.[0], 'MedicationRequest', 'authorizingPrescription[0]');
  const dosage = order.dosageInstruction?.[0] ?? fail('authorizingPrescription: dosageInstruction[0] is required');
  const days =
    dispense.daysSupply?.code === 'd' || dispense.daysSupply?.unit === 'd' ? dispense.daysSupply.value : fail('daysSupply in days (code d) is required');
  const encounterId = order.encounter?.identifier;
  return {
    residentId: residentOf(dispense.subject, 'subject'),
    sourceRecordId: sourceRecordId(dispense, organizationCode),
    ...(encounterId
      ? {
          encounterSourceRecordId:
            encounterId.system === sourceRecordSystem(organizationCode) && encounterId.value
              ? encounterId.value
              : fail(`authorizingPrescription: encounter.identifier must be in ${sourceRecordSystem(organizationCode)}`),
        }
      : {}),
    prescriberPractitioner: practitionerOf(order.requester, 'authorizingPrescription: requester'),
    issuedAt: timeIn(order.authoredOn, 'authorizingPrescription: authoredOn'),
    diagnoses: (order.reasonCode ?? []).map((reason, index) => diagnosisIn(reason, `authorizingPrescription: reasonCode[${index}]`)),
    items: [
      {
        drugCode: codeIn(medication.code, SYSTEMS.nmpaDrug, 'Medication.code'),
        dose:
          dosage.doseAndRate?.[0]?.doseQuantity?.value ?? fail('authorizingPrescription: dosageInstruction[0].doseAndRate[0].doseQuantity.value is required'),
        route: dosage.route?.text ?? fail('authorizingPrescription: dosageInstruction[0].route.text is required'),
        frequency: dosage.timing?.code?.text ?? fail('authorizingPrescription: dosageInstruction[0].timing.code.text (qd, bid, …) is required'),
        days,
        quantity: dispense.quantity?.value ?? fail('quantity.value is required'),
        ...(dosage.patientInstruction ? { instructions: dosage.patientInstruction } : {}),
      },
    ],
    dispensing: {
      at: timeIn(dispense.whenHandedOver, 'whenHandedOver'),
      pharmacist: practitionerOf(dispense.performer?.[0]?.actor, 'performer[0].actor'),
      lot: medication.batch?.lotNumber ?? fail('Medication.batch.lotNumber is required'),
      ...(dispense.substitution?.wasSubstituted
        ? { substitutions: (dispense.substitution.reason ?? []).map((reason) => reason.text ?? fail('substitution.reason needs text')) }
        : {}),
    },
  };
}

/** The resource types $import takes, and the upload each becomes. */
export const IMPORT_KINDS = {
  Encounter: 'encounters',
  Condition: 'conditions',
  AllergyIntolerance: 'allergies',
  DiagnosticReport: 'lab-reports',
  MedicationDispense: 'prescriptions',
} as const satisfies Record<string, UploadKind>;

/** One parsed NDJSON line as an upload line, or what is wrong with it. `organizationCode` is the caller's. */
export function mapResource(resource: unknown, organizationCode: string): Mapped {
  if (typeof resource !== 'object' || resource === null || Array.isArray(resource)) return { problem: 'Each line must be one FHIR resource (a JSON object)' };
  const type = (resource as { resourceType?: unknown }).resourceType;
  if (typeof type !== 'string' || !Object.hasOwn(IMPORT_KINDS, type)) return { problem: `resourceType must be one of ${Object.keys(IMPORT_KINDS).join(', ')}` };
  try {
    if (type === 'Encounter') return { kind: 'encounters', value: encounterLine(resource as Encounter, organizationCode) };
    if (type === 'Condition') return { kind: 'conditions', value: conditionLine(resource as Condition, organizationCode) };
    if (type === 'AllergyIntolerance') return { kind: 'allergies', value: allergyLine(resource as AllergyIntolerance, organizationCode) };
    if (type === 'MedicationDispense') return { kind: 'prescriptions', value: dispensedPrescriptionLine(resource as MedicationDispense, organizationCode) };
    return { kind: 'lab-reports', value: labReportLine(resource as DiagnosticReport, organizationCode) };
  } catch (error) {
    if (error instanceof ApiError) return { problem: `${type}: ${error.message}` };
    // A line shaped unlike FHIR (a string where an object belongs, say) is the line's problem, not the server's.
    if (error instanceof TypeError) return { problem: `${type}: not shaped as FHIR R4 ${type}` };
    throw error;
  }
}
