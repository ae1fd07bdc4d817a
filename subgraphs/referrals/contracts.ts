/**
 * Family-doctor contracts: a doctor's offer, the resident's acceptance (at most one active
 * contract per resident, claimed), renewal and termination. An accepted contract is a care
 * relationship until it ends.
 */

import { randomUUID } from 'node:crypto';
import { allowsEntry } from '../../access-control/entry-points';
import { CONTRACT_LONGEST_DAYS, type StandingRoot } from '../../access-control/policy';
import type { ResidentAccess } from '../../access-control/resident-access';
import { claim } from '../../platform/claims';
import { oneOf } from '../../platform/database';
import { appError, badUserInput, forbidden } from '../../platform/errors';
import { recordIdOf, residentIdOf } from '../runtime/ids';
import { dayOrTimeOf } from '../runtime/input';
import type { ContractDoc, ReferralsModels } from './models';
import { hexIdOf } from './referral-rules';
import { DAY_MS } from './repository-helpers';

export class Contracts {
  constructor(
    private readonly models: ReferralsModels,
    private readonly access: ResidentAccess,
  ) {}

  /** The active contract of each resident (the viewer may see), one query. */
  async contractsOf(residentIds: readonly string[]): Promise<Map<string, ContractDoc>> {
    const { owners, records } = await this.access.read('referrals', residentIds, (filedUnder) =>
      this.models.Contract.find({ residentId: oneOf(filedUnder), status: 'ACTIVE' })
        .lean<ContractDoc[]>()
        .exec(),
    );
    const now = Date.now();
    return new Map(
      records.filter((row) => row.until.getTime() >= now).flatMap((row) => (owners?.get(row.residentId) ?? []).map((owner) => [owner, row] as const)),
    );
  }

  /**
   * A family doctor's offer of a contract: it grants nothing until the resident accepts it
   * (acceptContract). Offering needs standing with the resident already (registration at the
   * centre, or a referral that brought them there).
   */
  async signContract(residentIdInput: string, servicePackage: ContractDoc['servicePackage'], untilInput: string): Promise<ContractDoc> {
    const requested = residentIdOf(residentIdInput);
    const now = new Date();
    const until = dayOrTimeOf(untilInput, 'until');
    if (until.getTime() <= now.getTime() || until.getTime() > now.getTime() + CONTRACT_LONGEST_DAYS * DAY_MS)
      throw badUserInput('until must be in the future and within three years');
    const residentId = await this.access.requireWrite(requested, 'offer-contract');
    const { viewer } = this.access;
    const contract: ContractDoc = {
      _id: hexIdOf(`contract|${randomUUID()}`),
      residentId,
      familyDoctor: viewer.practitionerId!,
      organizationCode: viewer.organizationCode!,
      servicePackage,
      since: now,
      until,
      status: 'OFFERED',
      terminationReason: null,
    };
    await this.models.Contract.create(contract);
    return contract;
  }

  /**
   * The resident accepts an offered contract: at most one active per resident (the contract
   * claims the resident), and the contract is a care relationship until it ends.
   */
  async acceptContract(id: string): Promise<ContractDoc> {
    const offered = await this.models.Contract.findById(contractIdOf(id)).lean<ContractDoc>().exec();
    if (!offered) throw appError('NOT_FOUND', 'No such contract');
    await this.access.requireWrite(offered.residentId, 'accept-contract');
    const now = new Date();
    if (offered.status !== 'OFFERED' || offered.until.getTime() <= now.getTime()) throw appError('CONFLICT', 'Only an open offer can be accepted');
    const { residentId } = offered;
    if (!(await claim(this.models.ActiveContract, { _id: residentId, contractId: offered._id }))) {
      const holder = await this.models.ActiveContract.findById(residentId).lean().exec();
      const current = holder ? await this.models.Contract.findById(holder.contractId).lean<ContractDoc>().exec() : null;
      if (current && current.status === 'ACTIVE' && current.until.getTime() >= now.getTime())
        throw appError('CONFLICT', 'The resident already has an active family-doctor contract');
      // The holder expired: its claim may go, once.
      await this.models.ActiveContract.deleteOne({ _id: residentId, contractId: holder?.contractId }).exec();
      if (!(await claim(this.models.ActiveContract, { _id: residentId, contractId: offered._id })))
        throw appError('CONFLICT', 'Another contract was accepted meanwhile');
    }
    const accepted = await this.models.Contract.findOneAndUpdate(
      { _id: offered._id, status: 'OFFERED' },
      { $set: { status: 'ACTIVE', since: now } },
      { returnDocument: 'after' },
    )
      .lean<ContractDoc>()
      .exec();
    if (!accepted) {
      await this.models.ActiveContract.deleteOne({ _id: residentId, contractId: offered._id }).exec();
      throw appError('CONFLICT', 'The offer changed meanwhile');
    }
    await this.access.recordCareRelationship({ ...contractSource(accepted), at: now, endsAt: accepted.until, root: contractRoot(accepted) });
    await this.access.permitted([residentId], 'referrals');
    return accepted;
  }

  async renewContract(id: string, untilInput: string): Promise<ContractDoc> {
    const until = dayOrTimeOf(untilInput, 'until');
    const contract = await this.ownContract(id);
    if (until.getTime() <= contract.until.getTime()) throw badUserInput('until must be later than the current end');
    const renewed = await this.models.Contract.findOneAndUpdate({ _id: contract._id, status: 'ACTIVE' }, { $set: { until } }, { returnDocument: 'after' })
      .lean<ContractDoc>()
      .exec();
    if (!renewed) throw appError('CONFLICT', 'The contract was terminated meanwhile');
    await this.access.recordCareRelationship({ ...contractSource(renewed), at: new Date(), endsAt: until, root: contractRoot(renewed) });
    return renewed;
  }

  async terminateContract(id: string, reason: string): Promise<ContractDoc> {
    if (reason.trim().length < 4) throw badUserInput('A termination needs a reason (at least 4 characters)');
    const contract = await this.ownContract(id);
    const ended = await this.models.Contract.findOneAndUpdate(
      { _id: contract._id, status: 'ACTIVE' },
      { $set: { status: 'TERMINATED', terminationReason: reason.trim(), until: new Date() } },
      { returnDocument: 'after' },
    )
      .lean<ContractDoc>()
      .exec();
    if (!ended) throw appError('CONFLICT', 'The contract is not active');
    await this.models.ActiveContract.deleteOne({ _id: contract.residentId, contractId: contract._id }).exec();
    await this.access.endCareRelationships([contractSource(contract)], new Date());
    return ended;
  }

  /** A contract of the caller's organization, which the policy lets the caller act on. */
  private async ownContract(id: string): Promise<ContractDoc> {
    const contract = await this.models.Contract.findById(contractIdOf(id)).lean<ContractDoc>().exec();
    if (!contract) throw appError('NOT_FOUND', 'No such contract');
    await this.access.requireWrite(contract.residentId, 'offer-contract');
    if (contract.organizationCode !== this.access.viewer.organizationCode) throw forbidden('The contract is another organization’s');
    if (contract.status !== 'ACTIVE') throw appError('CONFLICT', 'The contract is not active');
    return contract;
  }

  /** Whether the caller is the resident's contracted family doctor, who may book the reserved share. */
  async isContractedFamilyDoctor(residentId: string): Promise<boolean> {
    const { viewer } = this.access;
    if (!allowsEntry(viewer, 'book-reserved-share')) return false;
    const contract = (await this.contractsOf([residentId])).get(residentId);
    return contract !== undefined && contract.familyDoctor === viewer.practitionerId && contract.organizationCode === viewer.organizationCode;
  }
}

/** A contract's standing rests on the resident's own acceptance. */
function contractRoot(contract: ContractDoc): StandingRoot {
  return { kind: 'RESIDENT', organizationCode: contract.organizationCode, basis: `contract ${contract._id} accepted by the resident` };
}

function contractSource(contract: ContractDoc) {
  return {
    residentId: contract.residentId,
    organizationCode: contract.organizationCode,
    kind: 'CONTRACT' as const,
    source: { subgraph: 'referrals', recordId: contract._id },
  };
}

// Contracts have ids like every other record: 24 lowercase hex characters.
const contractIdOf = (value: string) => recordIdOf(value, 'Contract');
