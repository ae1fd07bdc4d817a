/**
 * The version of a resident's safety facts (allergies and conditions), as one viewer may see
 * them: a digest of the change notes of the labels that viewer may see. Records hands it out
 * with the facts it resolves; a pharmacist's approval compares it with the version now, so
 * facts that changed since their snapshot are noticed, while a change they may not see (a
 * restricted diagnosis from another organization) leaves their version as it was.
 */
import { createHash } from 'node:crypto';
import type { SafetyChangeDoc } from './access-store';
import type { ResidentAccess } from './resident-access';

/** The digest of notes; the same notes give the same version, in any order. */
export function safetyVersionOf(notes: readonly Pick<SafetyChangeDoc, '_id' | 'nonce'>[]): string {
  const canonical = notes.map((note) => `${note._id}=${note.nonce}`).sort();
  return createHash('sha256').update(JSON.stringify(canonical)).digest('hex').slice(0, 32);
}

/** Each resident's safety version as the viewer may see it, in one query for them all. */
export async function safetyVersions(access: ResidentAccess, residentIds: readonly string[]): Promise<Map<string, string>> {
  const notes = await access.safetyChangesOf(residentIds);
  const own = access.viewer.organizationCode;
  const versions = new Map<string, string>();
  for (const residentId of new Set(residentIds)) {
    const survivor = access.survivorOf(residentId);
    const hidden = new Set(await access.hiddenCategories(survivor));
    // As restrictedFromViewer decides an item: hidden unless from the viewer's own organization.
    const visible = notes.filter(
      (note) => access.survivorOf(note.residentId) === survivor && (note.organizationCode === own || !note.categories.some((category) => hidden.has(category))),
    );
    versions.set(residentId, safetyVersionOf(visible));
  }
  return versions;
}
