/** What every subgraph resolver receives: the verified viewer and the request's access decisions. */
import type { ActivityStore } from './activity-store';
import type { MatchSettings, SlotSettings } from './config';
import type { Logger } from './logger';
import type { PolicySettings } from './policy';
import type { ResidentAccess } from './resident-access';
import type { Viewer } from './viewer';

export interface SubgraphContext {
  viewer: Viewer;
  requestId: string;
  access: ResidentAccess;
  /** The platform's activity counters (monitoring rollups), shared by every subgraph. */
  activity: ActivityStore;
  logger: Logger;
  settings: ServiceSettings;
}

/** Settings some subgraphs' rules need, from the validated configuration. */
export interface ServiceSettings {
  matching: MatchSettings;
  policy: PolicySettings;
  /** Most days of chronic medication one prescription may cover. */
  chronicMaxDays: number;
  /** How many days ahead family doctors may book referral slots. */
  bookingHorizonDays: number;
  /** The reserved share and release time of published slot pools. */
  slots: SlotSettings;
}
