/**
 * What every example shares: an Apollo Client for one bearer token against the gateway.
 * Nothing here is specific to this project beyond the URL and the token: it is what a
 * hospital integrator's own code would hold.
 */
import { execFileSync } from 'node:child_process';
import { ApolloClient, HttpLink, InMemoryCache, type OperationVariables, type TypedDocumentNode } from '@apollo/client';
import type { DocumentNode } from 'graphql';

export interface Api {
  /** A query; throws on any GraphQL or network error. */
  query<T = any>(query: DocumentNode | TypedDocumentNode<T>, variables?: OperationVariables): Promise<T>;
  /** A mutation; throws on any GraphQL or network error. */
  mutate<T = any>(mutation: DocumentNode | TypedDocumentNode<T>, variables?: OperationVariables): Promise<T>;
}

/** A client acting as the holder of `token`. Clinical data is never cached on the client. */
export function connect(gatewayUrl: string, token: string): Api {
  const client = new ApolloClient({
    link: new HttpLink({ uri: gatewayUrl, headers: { authorization: `Bearer ${token}` } }),
    cache: new InMemoryCache(),
    defaultOptions: {
      query: { fetchPolicy: 'no-cache' },
      mutate: { fetchPolicy: 'no-cache' },
    },
  });
  return {
    async query(query, variables) {
      const { data } = await client.query({ query, variables });
      if (!data) throw new Error('The gateway answered without data');
      return withoutTypenames(data) as any;
    },
    async mutate(mutation, variables) {
      const { data } = await client.mutate({ mutation, variables });
      if (!data) throw new Error('The gateway answered without data');
      return withoutTypenames(data) as any;
    },
  };
}

/** The data as the server sent it, without the `__typename` fields Apollo Client adds to every selection. */
function withoutTypenames(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutTypenames);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([key]) => key !== '__typename')
      .map(([key, inner]) => [key, withoutTypenames(inner)]),
  );
}

/** Nodes of a connection (`{ edges { node } }`), or none when the list was withheld. */
export function nodes<T>(connection: { edges: { node: T }[] } | null | undefined): T[] {
  return connection?.edges.map((edge) => edge.node) ?? [];
}

/** What `npm run demo -- tokens` prints for the demo city started by `npm start`. */
export interface DemoCity {
  gatewayUrl: string;
  residentId: string;
  tokens: Record<string, string>;
  organizations: {
    hospital: string;
    otherHospital: string | null;
    communityCentre: string;
    internetHospital: string;
    pharmacies: string[];
    /** A department of `hospital` with slot pools that reserve places for family doctors. */
    referralDepartment: string | null;
  };
  identities: Record<string, { roles: string[]; organizationCode?: string; practitionerId?: string; residentId?: string; token: string }>;
}

/** The demo city, asked of the demo identity provider the way docs/getting-started.md shows. */
export function demoCity(): DemoCity {
  let output: string;
  try {
    output = execFileSync('npm', ['run', '--silent', 'demo', '--', 'tokens'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (error) {
    const said = String((error as { stderr?: string }).stderr ?? '').trim();
    throw new Error(said || `npm run demo -- tokens failed: ${(error as Error).message}`);
  }
  return JSON.parse(output) as DemoCity;
}

/** Runs an example's `main`, printing what it found (or why it failed). */
export function runMain(main: () => Promise<unknown>): void {
  main().then(
    (found) => console.log(JSON.stringify(found, null, 2)),
    (error: unknown) => {
      console.error(error instanceof Error ? error.message : error);
      process.exitCode = 1;
    },
  );
}

/** A fresh id for a retryable request (`clientRequestId`). */
export function requestId(prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
}
