/**
 * The names of the city's organizations, in every subgraph's process: a subgraph that hands out
 * an organization reference answers its `name` itself (`@shareable` with records, which owns
 * the registry), so a full record needs no federation stage to name organizations.
 *
 * The registry is small reference data (about 216 organizations) that records keeps in its
 * `organizations` collection. The catalogue reads it whole on first use, in one query, and
 * again on the first use after ORGANIZATION_NAMES_REFRESH_MS, so a renamed organization is
 * named anew within that time. A code it does not hold (an organization registered since) is read by code, the
 * codes missed in one tick together, and kept until the next full read; a code missing from
 * the registry is not kept, and naming it is a data fault.
 */
import DataLoader from 'dataloader';
import type { Connection } from 'mongoose';
import { idIn, oneOf } from '../../platform/database';
import { ORGANIZATION_LEVELS } from './organization-levels';

/** Far above the city's organizations: a bound on codes registered between two full reads. */
const MAX_ENTRIES = 5_000;

type RegistryRow = { _id: string; name: string };

export class OrganizationCatalogue {
  private names: Promise<Map<string, string>> | null = null;
  private refreshAt = 0;
  private readonly organizations;
  private readonly lateReads: DataLoader<string, string | null>;

  constructor(
    /** The records database, where the registry lives. */
    registry: Connection,
    private readonly refreshMs: number,
    private readonly clock: () => number = Date.now,
  ) {
    this.organizations = registry.db!.collection<RegistryRow>('organizations');
    // Not a cache (the map is): it only gathers the codes missed in one tick into one query.
    this.lateReads = new DataLoader(
      async (codes) => {
        const found = await this.organizations.find({ _id: idIn(codes) }, { projection: { name: 1 } }).toArray();
        const names = await this.registry();
        for (const row of found) if (names.size < MAX_ENTRIES) names.set(row._id, row.name);
        const byCode = new Map(found.map((row) => [row._id, row.name]));
        return codes.map((code) => byCode.get(code) ?? null);
      },
      { cache: false },
    );
  }

  /** The organization's name; an organization missing from the registry is a data fault. */
  async nameOf(code: string): Promise<string> {
    const name = (await this.registry()).get(code) ?? (await this.lateReads.load(code));
    if (name === null) throw new Error(`organization ${code} is not in the registry`);
    return name;
  }

  /** The whole registry's names, read on first use and on the first use after the refresh time. */
  private registry(): Promise<Map<string, string>> {
    const now = this.clock();
    if (!this.names || now >= this.refreshAt) {
      this.refreshAt = now + this.refreshMs;
      const reading = this.organizations
        .find({ level: oneOf(ORGANIZATION_LEVELS) }, { projection: { name: 1 } })
        .toArray()
        .then((rows) => new Map(rows.map((row) => [row._id, row.name])));
      // A failed read is not kept: the next use reads again.
      reading.catch(() => {
        if (this.names === reading) this.names = null;
      });
      this.names = reading;
    }
    return this.names;
  }
}

/** `Organization.name` in a subgraph that hands out organization references. */
export const organizationName = (organization: { code: string }, _args: unknown, context: { organizationCatalogue: OrganizationCatalogue }) =>
  context.organizationCatalogue.nameOf(organization.code);
