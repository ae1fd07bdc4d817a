/**
 * The floor the gateway is measured against: one process that answers the full-record
 * request straight from the five databases, with no gateway, no inter-service HTTP, no
 * GraphQL, and no authorization or audit. It reads what the subgraphs read (every record
 * list of the resident, then the organizations they name), in as few dependent steps as the
 * data allows, and answers JSON of the same shape as the full record.
 *
 * Env: PORT, MONGODB_URI, MONGODB_DB_PREFIX.
 */
import http from 'node:http';
import { registerAccessStoreModels } from '../access-control/access-store';
import { connectDatabase, idIn, onDatabaseCommand, onDatabaseReply } from '../platform/database';
import { registerModels as registerLabs } from '../subgraphs/labs/models';
import { registerModels as registerPrescriptions } from '../subgraphs/prescriptions/models';
import { registerModels as registerRecords } from '../subgraphs/records/models';
import { registerModels as registerReferrals } from '../subgraphs/referrals/models';
import { databaseName } from '../subgraphs/runtime/subgraph-server';
import { answerCounters } from './processes';

const PAGE = 20;

async function main(): Promise<void> {
  const prefix = process.env.MONGODB_DB_PREFIX!;
  const connection = await connectDatabase({ uri: process.env.MONGODB_URI!, dbName: databaseName(prefix, 'records'), monitorCommands: true });
  const other = (name: 'labs' | 'prescriptions' | 'referrals' | 'access') => connection.useDb(databaseName(prefix, name), { useCache: true });
  const records = registerRecords(connection);
  const labs = registerLabs(other('labs'));
  const prescriptions = registerPrescriptions(other('prescriptions'));
  const referrals = registerReferrals(other('referrals'));
  const access = registerAccessStoreModels(other('access'));
  const counters = { requests: 0, commands: 0, documents: 0 };
  onDatabaseCommand(() => counters.commands++);
  onDatabaseReply((reply) => (counters.documents += reply.documents.length));
  answerCounters(() => counters);

  const fullRecord = async (id: string) => {
    const byResident = { residentId: id };
    const [resident, encounters, conditions, allergies, reports, medication, referralRows, relationships] = await Promise.all([
      records.Resident.findById(id).lean<Record<string, any>>().exec(),
      records.Encounter.find(byResident).sort({ start: -1, _id: -1 }).lean<Record<string, any>[]>().exec(),
      records.Condition.find(byResident).lean<Record<string, any>[]>().exec(),
      records.Allergy.find(byResident).lean<Record<string, any>[]>().exec(),
      labs.LabReport.find(byResident).sort({ issuedAt: -1, _id: -1 }).lean<Record<string, any>[]>().exec(),
      prescriptions.Prescription.find(byResident)
        .sort({ issuedAt: -1, _id: -1 })
        .limit(PAGE + 1)
        .lean<Record<string, any>[]>()
        .exec(),
      referrals.Referral.find(byResident)
        .sort({ requestedAt: -1, _id: -1 })
        .limit(PAGE + 1)
        .lean<Record<string, any>[]>()
        .exec(),
      access.CareRelationship.find(byResident).lean<Record<string, any>[]>().exec(),
    ]);
    if (!resident) return { data: { resident: null } };
    const codes = new Set<string>(
      [...encounters, ...reports, ...relationships, ...referralRows.map((row) => ({ organizationCode: row.toOrganizationCode }))].map(
        (row) => row.organizationCode,
      ),
    );
    const organizations = new Map(
      (
        await records.Organization.find({ _id: idIn([...codes]) })
          .lean<Record<string, any>[]>()
          .exec()
      ).map((row) => [row._id, { code: row._id, name: row.name }]),
    );
    const lastByOrganization = new Map<string, Record<string, any>>();
    for (const encounter of encounters) if (!lastByOrganization.has(encounter.organizationCode)) lastByOrganization.set(encounter.organizationCode, encounter);
    const latest = new Map<string, Record<string, any>>();
    for (const report of reports) {
      for (const observation of report.results ?? []) {
        if (!latest.has(observation.code.code))
          latest.set(observation.code.code, {
            code: observation.code,
            observation,
            issuedAt: report.issuedAt,
            organization: organizations.get(report.organizationCode),
          });
      }
    }
    return {
      data: {
        resident: {
          id,
          name: resident.name,
          gender: resident.gender,
          birthDate: resident.birthDate,
          district: resident.district,
          summary: {
            activeProblems: conditions.map((row) => ({ code: row.code, onset: row.onset })),
            allergies: {
              assertion: allergies.length ? 'HAS_ALLERGIES' : resident.allergyAssertion,
              items: allergies.map((row) => ({ substance: row.substance, criticality: row.criticality })),
            },
            lastEncounters: [...lastByOrganization.values()].map((row) => ({
              start: row.start,
              department: row.department,
              organization: organizations.get(row.organizationCode),
            })),
          },
          encounters: {
            edges: encounters.slice(0, PAGE).map((row) => ({
              node: {
                id: row._id,
                start: row.start,
                class: row.encounterClass,
                department: row.department,
                diagnoses: row.diagnoses,
                organization: organizations.get(row.organizationCode),
              },
            })),
            pageInfo: { hasNextPage: encounters.length > PAGE },
          },
          latestResults: ['4548-4', '14749-6', '14647-2', '718-7'].flatMap((code) => latest.get(code) ?? []),
          labReports: {
            edges: reports
              .slice(0, 10)
              .map((row) => ({ node: { id: row._id, issuedAt: row.issuedAt, status: row.status, code: row.code, results: row.results } })),
          },
          prescriptions: {
            edges: medication.slice(0, PAGE).map((row) => ({ node: { id: row._id, status: row.status, issuedAt: row.issuedAt, items: row.items } })),
          },
          referrals: {
            edges: referralRows.slice(0, PAGE).map((row) => ({
              node: {
                id: row._id,
                status: row.status,
                reason: row.reason,
                toDepartment: row.toDepartment,
                toOrganization: organizations.get(row.toOrganizationCode),
              },
            })),
          },
          careRelationships: relationships.map((row) => ({ kind: row.kind, organization: organizations.get(row.organizationCode) })),
        },
      },
    };
  };

  const server = http.createServer({ keepAliveTimeout: 65_000 }, (request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      counters.requests++;
      let id = '';
      try {
        id = String(JSON.parse(Buffer.concat(chunks).toString('utf8')).variables.id);
      } catch {
        response.writeHead(400).end();
        return;
      }
      fullRecord(id).then(
        (body) => response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body)),
        () => response.writeHead(500).end(),
      );
    });
  });
  server.listen(Number(process.env.PORT), '127.0.0.1');
  process.once('SIGTERM', () => server.close(() => void connection.close().then(() => process.exit(0))));
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
