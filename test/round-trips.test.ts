/**
 * Database round trips per request do not grow with the number of residents or records a
 * request returns: every reverse field is served by one batched query per request.
 */
import { insertResidents } from './support/fixtures';
import { TestStack } from './support/stack';

const WARD_LIST = /* GraphQL */ `
  query Ward($ids: [ID!]!) {
    residents(ids: $ids) {
      id
      name
      labReports { edges { node { id results { value } } } }
      prescriptions { edges { node { id items { dose } } } }
      referrals { edges { node { id status } } }
    }
  }
`;

let stack: TestStack;
beforeAll(async () => {
  stack = await TestStack.start();
});
afterAll(() => stack?.stop());

it('a ward list of 50 residents costs the same round trips as one resident', async () => {
  const organizationCode = '3201-H002';
  const one = await insertResidents(stack, { organizationCode, count: 1, reportsEach: 1, prescriptionsEach: 1, referralsEach: 1 });
  const fifty = await insertResidents(stack, { organizationCode, count: 50, reportsEach: 4, prescriptionsEach: 3, referralsEach: 2 });
  const token = stack.token({ subject: 'dr-sun', roles: ['doctor'], organizationCode });

  const ask = (ids: string[]) => async () => {
    const { body } = await stack.query(token, WARD_LIST, { ids });
    expect(body.errors).toBeUndefined();
    expect(body.data!.residents).toHaveLength(ids.length);
    for (const resident of body.data!.residents) expect(resident.labReports.edges.length).toBeGreaterThan(0);
  };
  const forOne = await stack.commandsDuring(ask(one));
  const forFifty = await stack.commandsDuring(ask(fifty));

  const summary = (commands: { commandName: string; databaseName: string }[]) =>
    commands.map((command) => `${command.databaseName.replace(/^t[0-9a-f]+_/, '')}.${command.commandName}`).sort();
  expect(summary(forFifty)).toEqual(summary(forOne));
  // Per subgraph: the care relationships, the consents, the records, and the audit write.
  expect(forOne).toHaveLength(16);
});
