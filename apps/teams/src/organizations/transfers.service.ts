import { Injectable } from '@nestjs/common';
import { OrgCommand, TransferSide, TransferView } from '@tessera/contracts';
import { OutboxWriter } from '@tessera/persistence';
import { DataSource, EntityManager } from 'typeorm';
import { v7 as uuidv7 } from 'uuid';
import { Account, Membership } from '../accounts/account.entity';
import { TeamsService } from '../teams/teams.service';
import { TeamsErrors } from '../teams.errors';
import { OrganizationsService } from './organizations.service';
import { Transfer } from './transfer.entity';

/**
 * Moving a standalone team into an organization needs both an Admin of the team and an Org Admin: one asks, the
 * other approves. Who may do what is decided here, under locks, from the memberships themselves — the gateway
 * cannot, because the actor may belong to only one of the two sides. Someone who is on both sides moves the team
 * at once. To a person on neither side, team and organization do not exist.
 */
@Injectable()
export class TransfersService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly teams: TeamsService,
    private readonly organizations: OrganizationsService,
    private readonly outbox: OutboxWriter,
  ) {}

  async request({
    organizationId,
    actorUserId,
    teamId,
  }: OrgCommand & { teamId: string }): Promise<TransferView> {
    return this.dataSource.transaction(async (manager) => {
      const { team, organization } = await this.lockBoth(manager, teamId, organizationId);
      const sides = await this.sidesOf(manager, actorUserId, teamId, organizationId);
      if (sides.size === 0) throw TeamsErrors.notFound('The team or the organization');
      // Only the team's Admins learn where it belongs; to an Org Admin, a team of another organization is unknown.
      if (team.organizationId)
        throw sides.has('team')
          ? TeamsErrors.alreadyInOrganization()
          : TeamsErrors.notFound('The team or the organization');
      const pending = await manager.findOneBy(Transfer, { teamId, status: 'pending' });
      if (pending) throw TeamsErrors.transferPending();
      const transfer = manager.create(Transfer, {
        id: uuidv7(),
        teamId,
        organizationId,
        requestedBy: sides.has('team') ? 'team' : 'organization',
        requestedByUserId: actorUserId,
        status: 'pending',
        decidedByUserId: null,
        createdAt: new Date(),
        decidedAt: null,
      });
      await manager.insert(Transfer, transfer);
      await this.outbox.add(manager, 'tessera.events.teams.transfer.requested', event(transfer, actorUserId));
      if (sides.size === 2) await this.complete(manager, transfer, team, actorUserId);
      return view(transfer, team, organization);
    });
  }

  async decide({
    organizationId,
    actorUserId,
    transferId,
    approve,
  }: OrgCommand & { transferId: string; approve: boolean }): Promise<TransferView> {
    return this.dataSource.transaction(async (manager) => {
      const transfer = await manager.findOne(Transfer, {
        where: { id: transferId, organizationId },
        lock: { mode: 'pessimistic_write' },
      });
      if (!transfer) throw TeamsErrors.notFound('The transfer');
      const { team, organization } = await this.lockBoth(manager, transfer.teamId, organizationId);
      const sides = await this.sidesOf(manager, actorUserId, transfer.teamId, organizationId);
      if (sides.size === 0) throw TeamsErrors.notFound('The transfer');
      if (transfer.status !== 'pending') throw TeamsErrors.notFound('A pending transfer');
      if (approve) {
        if (![...sides].some((side) => side !== transfer.requestedBy))
          throw TeamsErrors.transferNeedsOtherSide(transfer.requestedBy);
        if (team.organizationId) throw TeamsErrors.alreadyInOrganization();
        await this.complete(manager, transfer, team, actorUserId);
      } else {
        Object.assign(transfer, { status: 'declined', decidedByUserId: actorUserId, decidedAt: new Date() });
        await manager.save(transfer);
        await this.outbox.add(
          manager,
          'tessera.events.teams.transfer.declined',
          event(transfer, actorUserId),
        );
      }
      return view(transfer, team, organization);
    });
  }

  async list(where: { organizationId: string } | { teamId: string }): Promise<TransferView[]> {
    const transfers = await this.dataSource
      .getRepository(Transfer)
      .find({ where, order: { createdAt: 'DESC' } });
    const ids = [...new Set(transfers.flatMap((t) => [t.teamId, t.organizationId]))];
    const accounts = new Map(
      (ids.length ? await this.dataSource.getRepository(Account).findBy(ids.map((id) => ({ id }))) : []).map(
        (account) => [account.id, account],
      ),
    );
    return transfers.map((t) => view(t, accounts.get(t.teamId)!, accounts.get(t.organizationId)!));
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
    await this.outbox.add(manager, 'tessera.events.teams.team.moved', event(transfer, actorUserId));
  }

  /** Team before organization, always in that order, so two transfers cannot deadlock. */
  private async lockBoth(manager: EntityManager, teamId: string, organizationId: string) {
    const team = await this.teams.live(manager, teamId, true);
    const organization = await this.organizations.live(manager, organizationId, true);
    return { team, organization };
  }

  /** Which sides the actor may speak for: Admin of the team, Org Admin of the organization. */
  private async sidesOf(
    manager: EntityManager,
    userId: string,
    teamId: string,
    organizationId: string,
  ): Promise<Set<TransferSide>> {
    const admins = await manager.findBy(Membership, [
      { accountId: teamId, userId, role: 'admin' },
      { accountId: organizationId, userId, role: 'admin' },
    ]);
    return new Set(admins.map((m) => (m.accountId === teamId ? 'team' : 'organization')));
  }
}

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

function view(transfer: Transfer, team: Account, organization: Account): TransferView {
  return {
    id: transfer.id,
    teamId: transfer.teamId,
    teamName: team.name,
    organizationId: transfer.organizationId,
    organizationName: organization.name,
    requestedBy: transfer.requestedBy,
    requestedByUserId: transfer.requestedByUserId,
    status: transfer.status,
    createdAt: transfer.createdAt.toISOString(),
    decidedAt: transfer.decidedAt?.toISOString() ?? null,
  };
}
