/** Entity references one subgraph hands to another through the gateway. */
export interface ResidentRef {
  id: string;
}

export interface EncounterRef {
  id: string;
}

/**
 * A record of another subgraph (a referral, a prescription) as the gateway hands it over with
 * the ids of what it attaches and whose record it is: the subgraph that owns the attached
 * records resolves them, and returns only those of that resident the viewer may see.
 */
export interface AttachmentsRef {
  id: string;
  residentId: string;
  attachedIds: string[];
}

export interface OrganizationRef {
  code: string;
}

export interface CodingValue {
  system: string;
  code: string;
  display: string;
}
