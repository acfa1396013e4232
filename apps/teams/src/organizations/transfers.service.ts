import { Injectable } from '@nestjs/common';
import {
  DecideTransfer,
  RequestTransfer,
  TesseraError,
  TransferApproval,
  TransferListRequest,
  TransferSide,
  TransferView,
} from '@tessera/contracts';
import { OutboxWriter } from '@tessera/persistence';
import { DataSource, EntityManager } from 'typeorm';
import { v7 as uuidv7 } from 'uuid';
import { Account } from '../accounts/account.entity';
import { MembershipsRepository } from '../accounts/memberships.repository';
import { InvitationCancellations } from '../invitations/invitation-cancellations.service';
import { PoliciesService } from '../policies/policies.service';
import { TeamsService } from '../teams/teams.service';
import { TeamsErrors } from '../teams.errors';
import { OrganizationsService } from './organizations.service';
import { Transfer } from './transfer.entity';

/**
 * Moving a standalone team into an organization needs both an Admin of the team and an Org Admin: one asks, the
 * other approves; a team with two or more Admins also needs a second of them, so no single Admin hands a shared
 * team over alone. Who may do what is decided here, under locks, from the memberships themselves — the gateway
 * cannot, because the actor may belong to only one of the two sides. Someone whose approvals complete the move
 * (both sides of a team with one Admin) moves it at once. To a person on neither side, team, organization and
 * transfer do not exist, whatever is wrong with the id: one `not_found`.
 */
@Injectable()
export class TransfersService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly memberships: MembershipsRepository,
    private readonly teams: TeamsService,
    private readonly organizations: OrganizationsService,
    private readonly outbox: OutboxWriter,
    private readonly policies: PoliciesService,
    private readonly cancellations: InvitationCancellations,
  ) {}

  async request({ organizationId, actorUserId, teamId }: RequestTransfer): Promise<TransferView> {
    return this.dataSource.transaction(async (manager) => {
      const { team, organization } = await this.lockBoth(manager, teamId, organizationId, NOT_FOUND);
      const sides = await this.sidesOf(manager, actorUserId, teamId, organizationId);
      if (sides.size === 0) throw NOT_FOUND();
      // Only the team's Admins learn where it belongs; to an Org Admin, a team of another organization is unknown.
      if (team.organizationId) throw sides.has('team') ? TeamsErrors.alreadyInOrganization() : NOT_FOUND();
      const pending = await manager.findOneBy(Transfer, { teamId, status: 'pending' });
      if (pending) throw TeamsErrors.transferPending();
      const transfer = manager.create(Transfer, {
        id: uuidv7(),
        teamId,
        organizationId,
        requestedBy: sides.has('team') ? 'team' : 'organization',
        requestedByUserId: actorUserId,
        status: 'pending',
        teamApproverIds: [],
        teamApprovalsNeeded: (await this.memberships.in(manager).countAdmins(teamId)) >= 2 ? 2 : 1,
        organizationApproverId: null,
        decidedByUserId: null,
        createdAt: new Date(),
        decidedAt: null,
      });
      approveAs(transfer, sides, actorUserId);
      await manager.insert(Transfer, transfer);
      await this.outbox.add(manager, 'tessera.events.teams.transfer.requested', event(transfer, actorUserId));
      const waitingFor = await this.waitingFor(manager, transfer);
      if (waitingFor.length === 0) await this.complete(manager, transfer, team, actorUserId);
      return view(transfer, team, organization, sides, waitingFor);
    });
  }

  async decide({ organizationId, actorUserId, transferId, approve }: DecideTransfer): Promise<TransferView> {
    const notFound = () => TeamsErrors.notFound('The transfer');
    return this.dataSource.transaction(async (manager) => {
      const transfer = await manager.findOne(Transfer, {
        where: { id: transferId, organizationId },
        lock: { mode: 'pessimistic_write' },
      });
      if (!transfer) throw notFound();
      const { team, organization } = await this.lockBoth(manager, transfer.teamId, organizationId, notFound);
      const sides = await this.sidesOf(manager, actorUserId, transfer.teamId, organizationId);
      if (sides.size === 0) throw notFound();
      if (transfer.status !== 'pending') throw TeamsErrors.notFound('A pending transfer');
      if (approve) {
        if (team.organizationId) throw TeamsErrors.alreadyInOrganization();
        const added = approveAs(transfer, sides, actorUserId);
        const waitingFor = await this.waitingFor(manager, transfer);
        if (!added && waitingFor.length > 0) throw TeamsErrors.transferNeedsOtherApproval(waitingFor);
        if (waitingFor.length === 0) await this.complete(manager, transfer, team, actorUserId);
        else await manager.save(transfer);
        return view(transfer, team, organization, sides, waitingFor);
      }
      Object.assign(transfer, { status: 'declined', decidedByUserId: actorUserId, decidedAt: new Date() });
      await manager.save(transfer);
      await this.outbox.add(manager, 'tessera.events.teams.transfer.declined', event(transfer, actorUserId));
      return view(transfer, team, organization, sides, []);
    });
  }

  async list(where: TransferListRequest): Promise<TransferView[]> {
    const transfers = await this.dataSource
      .getRepository(Transfer)
      .find({ where, order: { createdAt: 'DESC' } });
    const ids = [...new Set(transfers.flatMap((t) => [t.teamId, t.organizationId]))];
    const accounts = new Map(
      (ids.length ? await this.dataSource.getRepository(Account).findBy(ids.map((id) => ({ id }))) : []).map(
        (account) => [account.id, account],
      ),
    );
    // The list is asked for by one side: its viewer speaks for that side only.
    const sides = new Set<TransferSide>(['teamId' in where ? 'team' : 'organization']);
    return Promise.all(
      transfers.map(async (t) =>
        view(
          t,
          accounts.get(t.teamId)!,
          accounts.get(t.organizationId)!,
          sides,
          t.status === 'pending' ? await this.waitingFor(this.dataSource.manager, t) : [],
        ),
      ),
    );
  }

  private async complete(
    manager: EntityManager,
    transfer: Transfer,
    team: Account,
    actorUserId: string,
  ): Promise<void> {
    Object.assign(transfer, { status: 'completed', decidedByUserId: actorUserId, decidedAt: new Date() });
    team.organizationId = transfer.organizationId;
    await manager.save(transfer);
    await manager.update(Account, { id: team.id }, { organizationId: transfer.organizationId });
    // The organization's policy applies from now: keys follow it through the event (as for a policy change),
    // pending invitations it does not allow end here.
    const { effective } = await this.policies.effective(manager, team);
    await this.outbox.add(manager, 'tessera.events.teams.team.moved', {
      ...event(transfer, actorUserId),
      effective,
    });
    await this.cancellations.cancelOutsidePolicy(manager, [{ accountId: team.id, effective }], actorUserId);
  }

  /**
   * Team before organization, always in that order, so two transfers cannot deadlock. Any wrong id — unknown,
   * archived, a personal account or an organization in place of a team — is `notFound()`, the same answer as for
   * a team the actor has no say in, so the error tells nothing about what the id is.
   */
  private async lockBoth(
    manager: EntityManager,
    teamId: string,
    organizationId: string,
    notFound: () => TesseraError,
  ) {
    const uniform = (error: unknown) => {
      throw error instanceof TesseraError ? notFound() : error;
    };
    const team = await this.teams.live(manager, teamId, true).catch(uniform);
    const organization = await this.organizations.live(manager, organizationId, true).catch(uniform);
    return { team, organization };
  }

  /**
   * The approvals the move still needs. Only approvers who are still the team's Admins count: one who left or was
   * demoted no longer speaks for it. A team that had several Admins at the request (or has now) needs two of them;
   * if it is down to one Admin, that Admin's approval is enough unless they are the one who asked, so demoting the
   * others never lets the asking Admin move the team alone.
   */
  private async waitingFor(manager: EntityManager, transfer: Transfer): Promise<TransferApproval[]> {
    const waiting: TransferApproval[] = [];
    const memberships = this.memberships.in(manager);
    const approvers = await memberships.adminsAmong(transfer.teamId, transfer.teamApproverIds);
    const admins = await memberships.countAdmins(transfer.teamId);
    const needed = Math.max(transfer.teamApprovalsNeeded, admins >= 2 ? 2 : 1);
    const lastAdminAgreed =
      admins === 1 && approvers.some(({ userId }) => userId !== transfer.requestedByUserId);
    if (approvers.length === 0) waiting.push('team');
    else if (approvers.length < needed && !lastAdminAgreed) waiting.push('another_team_admin');
    if (!transfer.organizationApproverId) waiting.push('organization');
    return waiting;
  }

  /** Which sides the actor may speak for: Admin of the team, Org Admin of the organization. */
  private async sidesOf(
    manager: EntityManager,
    userId: string,
    teamId: string,
    organizationId: string,
  ): Promise<Set<TransferSide>> {
    const admins = await this.memberships.in(manager).adminMembershipsOf(userId, [teamId, organizationId]);
    return new Set(admins.map((m) => (m.accountId === teamId ? 'team' : 'organization')));
  }
}

const NOT_FOUND = () => TeamsErrors.notFound('The team or the organization');

function event(transfer: Transfer, actorUserId: string) {
  return {
    accountId: transfer.teamId,
    actorUserId,
    transferId: transfer.id,
    teamId: transfer.teamId,
    organizationId: transfer.organizationId,
    requestedBy: transfer.requestedBy,
  };
}

/** Records the actor's approval for each side they speak for and have not approved yet; whether any was new. */
function approveAs(transfer: Transfer, sides: Set<TransferSide>, actorUserId: string): boolean {
  let added = false;
  if (sides.has('team') && !transfer.teamApproverIds.includes(actorUserId)) {
    transfer.teamApproverIds = [...transfer.teamApproverIds, actorUserId];
    added = true;
  }
  if (sides.has('organization') && !transfer.organizationApproverId) {
    transfer.organizationApproverId = actorUserId;
    added = true;
  }
  return added;
}

/**
 * The transfer as a viewer speaking for `sides` sees it: the team's name only to the team's side, or once the
 * team's side has consented (it asked or approved) — never to an Org Admin who merely offered to take it in.
 */
function view(
  transfer: Transfer,
  team: Account,
  organization: Account,
  sides: Set<TransferSide>,
  waitingFor: TransferApproval[],
): TransferView {
  const teamConsented = transfer.status === 'completed' || transfer.teamApproverIds.length > 0;
  return {
    id: transfer.id,
    teamId: transfer.teamId,
    teamName: sides.has('team') || teamConsented ? team.name : null,
    organizationId: transfer.organizationId,
    organizationName: organization.name,
    requestedBy: transfer.requestedBy,
    requestedByUserId: transfer.requestedByUserId,
    status: transfer.status,
    waitingFor: transfer.status === 'pending' ? waitingFor : [],
    createdAt: transfer.createdAt.toISOString(),
    decidedAt: transfer.decidedAt?.toISOString() ?? null,
  };
}
