/**
 * Identity administration of the master patient index: the review of possible duplicates a
 * registration opened, and merging and unmerging records. Every change is claimed first, so of
 * concurrent changes to the same records exactly one proceeds.
 */
import type { ResidentAccess } from '../../access-control/resident-access';
import { actorOf } from '../../access-control/viewer';
import { claim } from '../../platform/claims';
import { idIn } from '../../platform/database';
import { appError, badUserInput, forbidden } from '../../platform/errors';
import { type Page, timePage } from '../../platform/pagination';
import type { MatchReviewDoc, MergeEventDoc, RecordsModels, ResidentDoc } from './models';
import type { MatchReviewView, ResidentIndex } from './resident-index';

export class ResidentMerges {
  constructor(
    private readonly models: RecordsModels,
    private readonly access: ResidentAccess,
    private readonly index: ResidentIndex,
  ) {}

  async matchReviews(status: MatchReviewDoc['status'], first: number, after: string | null | undefined): Promise<Page<MatchReviewView>> {
    return timePage(
      {
        field: 'openedAt',
        fetch: ({ keyset, sort, limit }) =>
          this.models.MatchReview.find({ status, ...keyset })
            .sort(sort)
            .limit(limit)
            .lean<MatchReviewDoc[]>()
            .exec(),
        keyOf: (review) => ({ at: review.openedAt, id: review._id }),
        keep: (reviews) => this.reviewViews(reviews),
        rowOf: (view) => view.review,
      },
      first,
      after,
    );
  }

  private async reviewViews(reviews: MatchReviewDoc[]): Promise<MatchReviewView[]> {
    const ids = reviews.flatMap((review) => [review.residentId, review.candidate.residentId]);
    const permitted = await this.access.permitted(ids, 'identity');
    const docs = new Map((await this.index.findResidents([...permitted])).map((doc) => [doc._id, doc]));
    return reviews.flatMap((review) => {
      const registered = docs.get(review.residentId);
      const candidate = docs.get(review.candidate.residentId);
      return registered && candidate ? [{ review, registered, candidate }] : [];
    });
  }

  /**
   * Decides a review: the decision is claimed first (its _id is the review's), then acted on,
   * so of concurrent decisions exactly one wins and the others get CONFLICT. A link that cannot
   * be made (different ID numbers, a record merged meanwhile) is refused before the claim, or
   * gives the claim back if the merge fails after it.
   */
  async resolveMatchReview(id: string, decision: 'LINK' | 'SEPARATE', reason: string): Promise<MatchReviewView> {
    const why = requireReason(reason);
    const review = await this.models.MatchReview.findById(id).lean<MatchReviewDoc>().exec();
    if (!review) throw appError('NOT_FOUND', 'No such match review');
    await this.requireIdentityAccess([review.residentId, review.candidate.residentId]);
    if (review.status !== 'OPEN') throw appError('CONFLICT', `The review was already resolved (${review.status.toLowerCase()})`);
    const mergeReason = `match review ${id}: ${why}`;
    const plan = decision === 'LINK' ? await this.planMerge(review.candidate.residentId, review.residentId) : null;
    const at = new Date();
    const by = actorOf(this.access.viewer);
    if (!(await claim(this.models.MatchReviewDecision, { _id: id, decision, by, at })))
      throw appError('CONFLICT', 'The review was resolved by someone else meanwhile');
    if (plan) {
      try {
        await this.applyMerge(plan, mergeReason);
      } catch (error) {
        await this.models.MatchReviewDecision.deleteOne({ _id: id }).exec();
        throw error;
      }
    }
    const status = decision === 'LINK' ? 'LINKED' : 'SEPARATED';
    await this.models.MatchReview.updateOne({ _id: id }, { $set: { status, resolvedAt: at, resolvedBy: by, reason: why } }).exec();
    return (await this.reviewViews([{ ...review, status, resolvedAt: at, resolvedBy: by, reason: why }]))[0]!;
  }

  /**
   * Merges one record into another, once both are claimed at the versions read (of concurrent
   * merges and unmerges of a record exactly one proceeds); the survivor inherits the merged
   * record's care relationships, consent and clinical records (read as the survivor's), and
   * its ID number if it had none.
   */
  async mergeResidents(survivorId: string, mergedId: string, reason: string): Promise<ResidentDoc> {
    const why = requireReason(reason);
    return this.applyMerge(await this.planMerge(survivorId, mergedId), why);
  }

  /** Checks a merge can be made (access, both records active, no two ID numbers) without writing anything. */
  private async planMerge(survivorId: string, mergedId: string): Promise<{ survivor: ResidentDoc; merged: ResidentDoc }> {
    if (survivorId === mergedId) throw badUserInput('A record cannot be merged into itself');
    await this.requireIdentityAccess([survivorId, mergedId]);
    const docs = new Map((await this.index.findResidents([survivorId, mergedId])).map((doc) => [doc._id, doc]));
    const survivor = docs.get(survivorId);
    const merged = docs.get(mergedId);
    if (!survivor || !merged) throw appError('NOT_FOUND', 'No such resident');
    if (!survivor.active || !merged.active) throw appError('CONFLICT', 'Both records must be active (not merged already)');
    if (survivor.idNumber && merged.idNumber && survivor.idNumber !== merged.idNumber) throw appError('CONFLICT', 'The records carry different ID numbers');
    return { survivor, merged };
  }

  private async applyMerge({ survivor, merged }: { survivor: ResidentDoc; merged: ResidentDoc }, why: string): Promise<ResidentDoc> {
    const [survivorId, mergedId] = [survivor._id, merged._id];
    const at = new Date();
    const by = actorOf(this.access.viewer);
    const event = (action: MergeEventDoc['action'], other: string): MergeEventDoc => ({ action, otherResidentId: other, by, at, reason: why });
    await this.underVersionClaims([survivor, merged], async () => {
      await this.models.Resident.updateOne(
        { _id: mergedId },
        { $set: { active: false, mergedInto: survivorId }, $push: { mergeHistory: event('MERGED_INTO', survivorId) } },
      ).exec();
      const adoptsIdNumber = !survivor.idNumber && merged.idNumber !== null;
      await this.models.Resident.updateOne(
        { _id: survivorId },
        {
          $addToSet: { mergedIds: { $each: [mergedId, ...merged.mergedIds] } },
          $push: { mergeHistory: adoptsIdNumber ? { ...event('MERGED', mergedId), idNumberAdopted: true } : event('MERGED', mergedId) },
          ...(adoptsIdNumber ? { $set: { idNumber: merged.idNumber, idLast4: merged.idLast4 } } : {}),
        },
      ).exec();
      // Records merged into the merged one now point at the survivor directly: one hop at most.
      if (merged.mergedIds.length > 0) await this.models.Resident.updateMany({ _id: idIn(merged.mergedIds) }, { $set: { mergedInto: survivorId } }).exec();
      await this.access.accessStore.recordMerge([mergedId, ...merged.mergedIds], survivorId);
    });
    return (await this.index.findResidents([survivorId]))[0]!;
  }

  async unmergeResident(mergedId: string, reason: string): Promise<ResidentDoc> {
    const why = requireReason(reason);
    const merged = (await this.index.findResidents([mergedId]))[0];
    if (!merged) throw appError('NOT_FOUND', 'No such resident');
    if (!merged.mergedInto) throw appError('CONFLICT', 'The record is not merged');
    const survivorId = merged.mergedInto;
    await this.requireIdentityAccess([survivorId]);
    const survivor = (await this.index.findResidents([survivorId]))[0]!;
    await this.underVersionClaims([survivor, merged], async () => {
      const at = new Date();
      const by = actorOf(this.access.viewer);
      await this.models.Resident.updateOne(
        { _id: mergedId },
        { $set: { active: true, mergedInto: null }, $push: { mergeHistory: { action: 'UNMERGED_FROM', otherResidentId: survivorId, by, at, reason: why } } },
      ).exec();
      // The survivor gives back the ID number it took from the merged record.
      const mergeEvent = survivor.mergeHistory.findLast((event) => event.action === 'MERGED' && event.otherResidentId === mergedId);
      const returnsIdNumber = mergeEvent?.idNumberAdopted === true && survivor.idNumber === merged.idNumber;
      await this.models.Resident.updateOne(
        { _id: survivorId },
        {
          $pullAll: { mergedIds: [mergedId, ...merged.mergedIds] },
          $push: { mergeHistory: { action: 'UNMERGED', otherResidentId: mergedId, by, at, reason: why } },
          ...(returnsIdNumber ? { $set: { idNumber: null, idLast4: null } } : {}),
        },
      ).exec();
      if (merged.mergedIds.length > 0) await this.models.Resident.updateMany({ _id: idIn(merged.mergedIds) }, { $set: { mergedInto: mergedId } }).exec();
      await this.access.accessStore.recordUnmerge(mergedId, merged.mergedIds);
    });
    return (await this.index.findResidents([mergedId]))[0]!;
  }

  /**
   * Runs a merge or unmerge once each record is claimed at the version it was read at (the
   * length of its merge history, which the change extends by one on both records): CONFLICT,
   * with nothing claimed, if another change got there first. Claims go in id order, so two
   * changes to the same pair cannot each hold one; a change that fails gives its claims back.
   */
  private async underVersionClaims(residents: ResidentDoc[], change: () => Promise<void>): Promise<void> {
    const keys = residents.map((resident) => `${resident._id}|${resident.mergeHistory.length}`).sort();
    const claimed: string[] = [];
    const release = () => (claimed.length > 0 ? this.models.ResidentVersionClaim.deleteMany({ _id: idIn(claimed) }).exec() : null);
    for (const _id of keys) {
      if (!(await claim(this.models.ResidentVersionClaim, { _id, at: new Date() }))) {
        await release();
        throw appError('CONFLICT', 'The record was merged or unmerged by someone else meanwhile');
      }
      claimed.push(_id);
    }
    try {
      await change();
    } catch (error) {
      await release();
      throw error;
    }
  }

  private async requireIdentityAccess(residentIds: string[]): Promise<void> {
    const permitted = await this.access.permitted(residentIds, 'identity');
    if (residentIds.some((id) => !permitted.has(id))) throw forbidden('Identity administration needs a privacy officer or the registering hospital');
  }
}

function requireReason(reason: string): string {
  const trimmed = reason.trim();
  if (trimmed.length < 4 || trimmed.length > 500) throw badUserInput('reason must be 4-500 characters');
  return trimmed;
}
