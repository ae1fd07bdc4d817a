/**
 * A resident's consent as decisions see it. After a merge, a survivor's consent is every
 * choice filed under any id it stands for: a restriction set on a record later merged away
 * still holds.
 */
import DataLoader from 'dataloader';
import type { AccessStore } from './access-store';
import type { ConsentFact } from './policy';

/** One consent from several (a survivor's and those of the ids merged into it): every restriction and block of each. */
export function unionOfConsents(residentId: string, consents: readonly ConsentFact[]): ConsentFact | null {
  if (consents.length === 0) return null;
  return {
    residentId,
    restrictedCategories: [...new Set(consents.flatMap((consent) => consent.restrictedCategories))].sort(),
    blockedOrganizations: [...new Set(consents.flatMap((consent) => consent.blockedOrganizations))].sort(),
  };
}

/** Survivors' consents, loaded in one batch per request: each the union of those filed under the ids it stands for. */
export function consentLoader(store: AccessStore, filedUnderOf: (survivorId: string) => string[]): DataLoader<string, ConsentFact | null> {
  return new DataLoader(async (survivorIds) => {
    const found = new Map((await store.consentsOf([...new Set(survivorIds.flatMap(filedUnderOf))])).map((consent) => [consent.residentId, consent]));
    return survivorIds.map((id) =>
      unionOfConsents(
        id,
        filedUnderOf(id).flatMap((filed) => found.get(filed) ?? []),
      ),
    );
  });
}
