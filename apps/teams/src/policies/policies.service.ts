import { Injectable } from '@nestjs/common';
import { assertOnlyTightens, assertSettableBy, tighten } from '@tessera/authz';
import {
  EffectivePolicyView,
  OrganizationPolicy,
  PolicySettings,
  PolicyView,
  RpcPayload,
  TesseraError,
} from '@tessera/contracts';
import { OutboxWriter } from '@tessera/persistence';
import { DataSource, EntityManager, In, IsNull } from 'typeorm';
import { Account } from '../accounts/account.entity';
import { TeamsErrors } from '../teams.errors';
import { InvitationCancellations } from '../invitations/invitation-cancellations.service';
import { PolicyVersion } from './policy-version.entity';

/**
 * Policies of organizations and teams. A team's effective policy is its own settings tightened by its
 * organization's; a team may not set anything looser than its organization (`policy_violation`). Every change
 * is a new version and one `policy.changed` event that carries the new effective policy of every account it
 * touches, so the keys and identity services can apply it to existing keys and sessions; pending invitations the
 * new policy does not allow are cancelled in the same transaction.
 */
@Injectable()
export class PoliciesService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly outbox: OutboxWriter,
    private readonly cancellations: InvitationCancellations,
  ) {}

  /** Personal accounts have no policy: theirs is empty (so callers need not know an account's kind). */
  async get(accountId: string): Promise<EffectivePolicyView> {
    const account = await this.dataSource.getRepository(Account).findOneBy({ id: accountId });
    if (!account) throw TeamsErrors.notFound('The account');
    return this.effective(this.dataSource.manager, account);
  }

  async versions(accountId: string): Promise<PolicyView[]> {
    await this.account(this.dataSource.manager, accountId);
    const versions = await this.dataSource
      .getRepository(PolicyVersion)
      .find({ where: { accountId }, order: { version: 'DESC' } });
    return versions.map(view);
  }

  async set({
    accountId,
    actorUserId,
    settings,
    expectedVersion,
  }: RpcPayload<'tessera.teams.policy.set'>): Promise<EffectivePolicyView> {
    return this.dataSource.transaction(async (manager) => {
      const account = await this.account(manager, accountId, true);
      assertSettableBy(account.kind === 'organization' ? 'organization' : 'team', settings);
      const current = await this.latest(manager, accountId);
      if (expectedVersion !== undefined && expectedVersion !== current.version)
        throw new TesseraError(
          'version_conflict',
          `The policy is at version ${current.version}, not ${expectedVersion}: read it again and retry.`,
        );
      const organization = account.organizationId ? await this.latest(manager, account.organizationId) : null;
      if (organization) assertOnlyTightens(organization.settings, settings);
      const version = current.version + 1;
      await manager.insert(PolicyVersion, {
        accountId,
        version,
        settings,
        actorUserId,
        createdAt: new Date(),
      });
      const affected = await this.affected(manager, account, settings);
      await this.outbox.add(manager, 'tessera.events.teams.policy.changed', {
        accountId,
        actorUserId,
        version,
        settings,
        affected,
      });
      await this.cancellations.cancelOutsidePolicy(manager, affected, actorUserId);
      return this.effective(manager, account);
    });
  }

  /** The tightest settings over every organization the user belongs to. */
  async forUser(userId: string): Promise<PolicySettings> {
    const organizations = await this.organizationsFor(userId);
    return organizations.reduce<PolicySettings>((tightest, { settings }) => tighten(tightest, settings), {});
  }

  /**
   * The policy of every organization the user belongs to: as an Org Admin, or as a member of one of its teams.
   * Team policies are left out on purpose: a team's Admin must not reach a member's whole account.
   */
  async organizationsFor(userId: string): Promise<OrganizationPolicy[]> {
    const rows = (await this.dataSource.query(
      `WITH belongs AS (
         SELECT a.id, a.organization_id FROM teams.memberships m
           JOIN teams.accounts a ON a.id = m.account_id AND a.archived_at IS NULL
          WHERE m.user_id = $1)
       SELECT DISTINCT ON (v.account_id) v.account_id, v.settings
         FROM teams.policy_versions v
         JOIN teams.accounts o ON o.id = v.account_id AND o.kind = 'organization' AND o.archived_at IS NULL
        WHERE v.account_id IN (SELECT id FROM belongs UNION SELECT organization_id FROM belongs)
        ORDER BY v.account_id, v.version DESC`,
      [userId],
    )) as { account_id: string; settings: PolicySettings }[];
    return rows.map((row) => ({ organizationId: row.account_id, settings: row.settings }));
  }

  /** Every account whose effective policy this change may alter, with that policy. */
  private async affected(manager: EntityManager, account: Account, settings: PolicySettings) {
    if (account.kind === 'team') {
      const organization = account.organizationId
        ? (await this.latest(manager, account.organizationId)).settings
        : {};
      return [{ accountId: account.id, effective: tighten(organization, settings) }];
    }
    const teams = await manager.find(Account, {
      where: { organizationId: account.id, archivedAt: IsNull() },
      select: { id: true },
    });
    const own = await this.latestOf(
      manager,
      teams.map((team) => team.id),
    );
    return [
      { accountId: account.id, effective: settings },
      ...teams.map((team) => ({ accountId: team.id, effective: tighten(settings, own.get(team.id) ?? {}) })),
    ];
  }

  /** What applies to the account as `manager` sees it (inside a transaction: including its own changes). */
  async effective(manager: EntityManager, account: Account): Promise<EffectivePolicyView> {
    const own = await this.latest(manager, account.id);
    const organization = account.organizationId ? await this.latest(manager, account.organizationId) : null;
    return {
      accountId: account.id,
      own,
      organization,
      effective: organization ? tighten(organization.settings, own.settings) : own.settings,
    };
  }

  private async latest(manager: EntityManager, accountId: string): Promise<PolicyView> {
    const found = await manager.findOne(PolicyVersion, { where: { accountId }, order: { version: 'DESC' } });
    return found
      ? view(found)
      : { accountId, version: 0, settings: {}, updatedByUserId: null, updatedAt: null };
  }

  private async latestOf(manager: EntityManager, accountIds: string[]): Promise<Map<string, PolicySettings>> {
    if (accountIds.length === 0) return new Map();
    const rows = await manager
      .createQueryBuilder(PolicyVersion, 'p')
      .distinctOn(['p.account_id'])
      .where({ accountId: In(accountIds) })
      .orderBy('p.account_id')
      .addOrderBy('p.version', 'DESC')
      .getMany();
    return new Map(rows.map((row) => [row.accountId, row.settings]));
  }

  /** A live organization or team (personal accounts have no policies); locked when it is about to change. */
  private async account(manager: EntityManager, accountId: string, lock = false): Promise<Account> {
    const account = await manager.findOne(Account, {
      where: { id: accountId, archivedAt: IsNull() },
      ...(lock ? { lock: { mode: 'pessimistic_write' as const } } : {}),
    });
    if (!account) throw TeamsErrors.notFound('The account');
    if (account.kind === 'personal')
      throw new TesseraError('validation_failed', 'Only organizations and teams have policies.');
    return account;
  }
}

function view(version: PolicyVersion): PolicyView {
  return {
    accountId: version.accountId,
    version: version.version,
    settings: version.settings,
    updatedByUserId: version.actorUserId,
    updatedAt: version.createdAt.toISOString(),
  };
}
