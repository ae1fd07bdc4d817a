/**
 * The authorization matrix's write side for the services beside care itself (the 12320 hotline,
 * home nursing, settlement and check-ups, family doctors' hospital bookings), on a stack of its
 * own (describeWriteMatrix).
 */
import { insertHospitals, modelsOf } from '../support/fixtures';
import { useStack } from '../support/stack-fixture';
import { serviceWriteCases } from './service-write-cases';
import { describeWriteMatrix } from './write-matrix';
import { HOSPITAL, STRANGER, writeScenarios } from './write-scenarios';

jest.setTimeout(180_000);

const { stack, ok } = useStack();
const scenarios = writeScenarios({ stack, ok });

beforeAll(async () => {
  await insertHospitals(stack);
  await modelsOf(stack).labs.Laboratory.insertMany([
    { _id: HOSPITAL, certifiedScope: 'CITY' },
    { _id: STRANGER, certifiedScope: 'CITY' },
  ]);
});

// A centre's acts on a nursing order have as their outsider another centre, refused by the
// valid-input cases; publishing check-up packages is about no resident.
const NO_OUTSIDER = ['acceptNursingOrder', 'refuseNursingOrder', 'recordNursingVisit', 'completeNursingOrder', 'cancelNursingOrder', 'publishCheckupPackages'];
describeWriteMatrix(stack, scenarios, serviceWriteCases(scenarios), (name) => NO_OUTSIDER.includes(name) || name.startsWith('upload'));
