/** What every subgraph resolver receives: the verified viewer and the request's access decisions. */

import type { PolicySettings } from '../../access-control/policy';
import type { ResidentAccess } from '../../access-control/resident-access';
import type { Viewer } from '../../access-control/viewer';
import type { ActivityStore } from '../../monitoring/activity-store';
import type { MatchSettings, SlotSettings } from '../../platform/config';
import type { Logger } from '../../platform/logger';
import type { OrganizationCatalogue } from './organization-catalogue';

export interface SubgraphContext {
  viewer: Viewer;
  requestId: string;
  access: ResidentAccess;
  /** The platform's activity counters (monitoring rollups), shared by every subgraph. */
  activity: ActivityStore;
  logger: Logger;
  settings: ServiceSettings;
  /** The organizations' names, for the references the subgraph hands out (one per process). */
  organizationCatalogue: OrganizationCatalogue;
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
  /** Minutes a critical lab result may stay unacknowledged before it escalates. */
  criticalResultEscalationMinutes: number;
}
