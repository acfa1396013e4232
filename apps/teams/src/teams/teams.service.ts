import { Injectable } from '@nestjs/common';
import { AccountView, TeamCommand, TeamView } from '@tessera/contracts';
import { OutboxWriter } from '@tessera/persistence';
import { DataSource, EntityManager } from 'typeorm';
import { v7 as uuidv7 } from 'uuid';
import { Account } from '../accounts/account.entity';
import { AccountsRepository } from '../accounts/accounts.repository';
import { MembershipsRepository } from '../accounts/memberships.repository';
import { TeamsErrors } from '../teams.errors';

/** Team accounts: created by a user who becomes their first Admin; renamed; archived for good. */
@Injectable()
export class TeamsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly accounts: AccountsRepository,
    private readonly memberships: MembershipsRepository,
    private readonly outbox: OutboxWriter,
  ) {}

  create(userId: string, name: string): Promise<AccountView> {
    return this.dataSource.transaction((manager) => this.createIn(manager, userId, name, null));
  }

  /** A new team, standalone or inside an organization, with `userId` as its first Admin; `name` as its schema left it. */
  async createIn(
    manager: EntityManager,
    userId: string,
    name: string,
    organizationId: string | null,
  ): Promise<AccountView> {
    const account = manager.create(Account, {
      id: uuidv7(),
      kind: 'team',
      name,
      ownerUserId: null,
      organizationId,
    });
    await manager.insert(Account, account);
    await this.memberships.in(manager).add(account.id, userId, 'admin');
    await this.outbox.add(manager, 'tessera.events.teams.team.created', {
      accountId: account.id,
      actorUserId: userId,
      name,
    });
    await this.outbox.add(manager, 'tessera.events.teams.member.added', {
      accountId: account.id,
      actorUserId: userId,
      userId,
      role: 'admin',
    });
    return {
      id: account.id,
      kind: 'team',
      name,
      role: 'admin',
      ...(organizationId ? { organizationId } : {}),
    };
  }

  async get(accountId: string): Promise<TeamView> {
    return view(await this.live(this.dataSource.manager, accountId));
  }

  async rename({ accountId, name }: TeamCommand & { name: string }): Promise<TeamView> {
    const team = await this.live(this.dataSource.manager, accountId);
    team.name = name;
    await this.dataSource.getRepository(Account).update({ id: accountId }, { name: team.name });
    return view(team);
  }

  /** Permanent: the team leaves every list and its members can no longer act for it; its data is kept. */
  async archive({ accountId, actorUserId }: TeamCommand): Promise<TeamView> {
    return this.dataSource.transaction(async (manager) => {
      const team = await this.live(manager, accountId, true);
      await manager.update(Account, { id: accountId }, { archivedAt: new Date() });
      await this.outbox.add(manager, 'tessera.events.teams.team.archived', {
        accountId,
        actorUserId,
        name: team.name,
      });
      return view(team);
    });
  }

  /** A team that exists and is not archived; locked when the caller will change it. */
  async live(manager: EntityManager, accountId: string, lock = false): Promise<Account> {
    const team = await this.accounts.in(manager).findLive(accountId, { lock });
    if (!team) throw TeamsErrors.notFound('The team');
    if (team.kind !== 'team') throw TeamsErrors.notATeam();
    return team;
  }
}

function view(account: Account): TeamView {
  return {
    id: account.id,
    kind: account.kind,
    name: account.name,
    createdAt: account.createdAt.toISOString(),
    organizationId: account.organizationId,
  };
}
