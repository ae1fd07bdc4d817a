/**
 * No audit, no data: when a subgraph cannot write its audit events, the response carries
 * none of the data it would have disclosed.
 */
import { insertResidents, modelsOf } from '../support/fixtures';
import { useStack } from '../support/stack-fixture';

const { stack } = useStack();

it('withholds the data when the audit write fails', async () => {
  const [residentId] = await insertResidents(stack, { organizationCode: '3201-H001', count: 1, reportsEach: 1 });
  const token = stack.token({ subject: 'dr-audit', roles: ['doctor'], organizationCode: '3201-H001' });
  // A real failure of the audit store: a second event for the same client correlation id breaks a unique index.
  await modelsOf(stack).access.AuditEvent.collection.createIndex({ correlationId: 1, subgraph: 1 }, { unique: true });
  const ask = () =>
    fetch(stack.gateway.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, 'x-request-id': 'replayed-request-1' },
      body: JSON.stringify({ query: `query($id: ID!) { resident(id: $id) { name labReports { edges { node { id } } } } }`, variables: { id: residentId } }),
    }).then((response) => response.json() as Promise<{ data: any; errors?: { message: string; extensions: { code: string } }[] }>);

  const first = await ask();
  expect(first.errors).toBeUndefined();
  expect(first.data.resident.name).toEqual(expect.any(String));

  const second = await ask();
  expect(second.data?.resident ?? null).toBeNull();
  expect(second.errors!.map((error) => error.extensions.code)).toContain('SUBGRAPH_UNAVAILABLE');
  expect(JSON.stringify(second)).not.toContain(first.data.resident.name);
});
