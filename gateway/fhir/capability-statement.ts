/** GET /fhir/R4/metadata: exactly what this server implements, and nothing it does not. */
import type { CapabilityStatement } from '@medplum/fhirtypes';
import { COUNT } from './bundle';
import { SYSTEMS } from './terminology';

export function capabilityStatement(base: string): CapabilityStatement {
  return {
    resourceType: 'CapabilityStatement',
    status: 'active',
    date: '2026-11-30',
    publisher: 'Jinling HIE',
    kind: 'instance',
    implementation: { description: 'Jinling HIE FHIR R4 API (answered through the GraphQL gateway)', url: base },
    fhirVersion: '4.0.1',
    format: ['application/fhir+json'],
    rest: [
      {
        mode: 'server',
        security: {
          service: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/restful-security-service', code: 'OAuth', display: 'OAuth' }] }],
          description:
            'Bearer JWT from the city identity provider, the same tokens as /graphql. Every read is decided by the resident consent policy and audited.',
        },
        interaction: [
          {
            code: 'transaction',
            documentation:
              'POST a transaction Bundle to the base: every entry checked before anything is written, then filed as $import files it; the answer a transaction-response',
          },
          { code: 'batch', documentation: 'POST a batch Bundle to the base: each entry filed or refused on its own; the answer a batch-response' },
        ],
        operation: [
          {
            name: 'import',
            definition: 'urn:jinling-hie:fhir:OperationDefinition/import',
            documentation:
              'POST an NDJSON body (application/fhir+ndjson) of Encounter, Condition, AllergyIntolerance, DiagnosticReport (result lines as contained Observations or Observations in the file) and MedicationDispense (a prescription the hospital dispensed: contained Medication and MedicationRequest), with Patient lines matched by identifier; filed synchronously through the batch upload path; answers a Bundle of counts and one OperationOutcome per rejected line',
          },
        ],
        resource: [
          {
            type: 'Patient',
            interaction: [{ code: 'read' }, { code: 'search-type' }],
            searchParam: [
              {
                name: 'identifier',
                type: 'token',
                documentation: `system|value with system ${SYSTEMS.residentIdCard}, ${SYSTEMS.insuranceCard} or urn:jinling-hie:mrn:<organization code> (the viewer's own hospital)`,
              },
            ],
            operation: [
              {
                name: 'everything',
                definition: 'http://hl7.org/fhir/OperationDefinition/Patient-everything',
                documentation: `_count: records of each kind per page, 1-${COUNT.max} (default ${COUNT.default}); follow the next link`,
              },
              {
                name: 'summary',
                definition: 'http://hl7.org/fhir/uv/ips/OperationDefinition/summary',
                documentation: 'An International Patient Summary document',
              },
            ],
          },
          {
            type: 'Observation',
            interaction: [{ code: 'search-type' }],
            searchParam: [
              { name: 'patient', type: 'reference', documentation: 'Required' },
              { name: 'code', type: 'token', documentation: `One LOINC code (${SYSTEMS.loinc}|code); values in the canonical UCUM unit` },
              {
                name: 'category',
                type: 'token',
                documentation: `laboratory or imaging (${SYSTEMS.observationCategory}); without code, the result lines report by report, paged`,
              },
              { name: 'date', type: 'date', documentation: 'ge only, with code' },
            ],
          },
          ...(['Encounter', 'Condition', 'AllergyIntolerance', 'DiagnosticReport', 'MedicationRequest'] as const).map((type) => ({
            type,
            interaction: [{ code: 'search-type' as const }],
            searchParam: [
              {
                name: 'patient',
                type: 'reference' as const,
                documentation:
                  type === 'AllergyIntolerance'
                    ? 'Required: the allergy statement whole, as $everything gives it'
                    : `Required; _count 1-${COUNT.max} (default ${COUNT.default}) per page, follow the next link`,
              },
            ],
          })),
        ],
      },
    ],
  };
}
