/** Entity references one subgraph hands to another through the gateway. */
export interface ResidentRef {
  id: string;
}

export interface EncounterRef {
  id: string;
}

export interface OrganizationRef {
  code: string;
}

export interface CodingValue {
  system: string;
  code: string;
  display: string;
}
