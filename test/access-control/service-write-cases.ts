/**
 * The write cases of the services beside care itself (the 12320 hotline, home nursing, settlement
 * and check-ups, family doctors' hospital bookings), run on a stack of their own by
 * authorization-writes-services.test.ts; write-cases.ts holds the rest.
 */
import { hospitalBookingWriteCases } from './hospital-booking-write-cases';
import { nursingWriteCases } from './nursing-write-cases';
import { hotlineWriteCases } from './write-cases-hotline';
import { paymentWriteCases } from './write-cases-payments';
import type { WriteCase, WriteScenarios } from './write-scenarios';

export function serviceWriteCases(scenarios: WriteScenarios): Record<string, WriteCase> {
  return { ...hotlineWriteCases(scenarios), ...nursingWriteCases(scenarios), ...paymentWriteCases(scenarios), ...hospitalBookingWriteCases(scenarios) };
}
