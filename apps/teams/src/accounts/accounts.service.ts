import { Injectable } from '@nestjs/common';
import { AccountInfo, AccountView, Role, TesseraError, isUuid } from '@tessera/contracts';
import { DataSource } from 'typeorm';
import { v7 as uuidv7 } from 'uuid';
import { Account, Membership } from './account.entity';

const KIND_ORDER = { personal: 0, organization: 1, team: 2 } as const;

@Injectable()
export class AccountsService {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * The user's personal account, created with them as its Admin on first call. Safe to call on every sign-in and
   * concurrently: the partial unique index lets exactly one creation win.
   */
  async ensurePersonal(userId: string, name: string): Promise<AccountView> {
    await this.dataSource.transaction(async (manager) => {
      const id = uuidv7();
      const created = (await manager.query(
        `INSERT INTO teams.accounts (id, kind, name, owner_user_id) VALUES ($1, 'personal', $2, $3)
         ON CONFLICT (owner_user_id) WHERE kind = 'personal' DO NOTHING RETURNING id`,
        [id, name, userId],
      )) as { id: string }[];
      if (created.length > 0) await manager.insert(Membership, { accountId: id, userId, role: 'admin' });
    });
    const account = await this.dataSource
      .getRepository(Account)
      .findOneByOrFail({ kind: 'personal', ownerUserId: userId });
    return view(account, 'admin');
  }

  /** Every account the user may act for, personal first; archived ones are gone from the list. */
  async listForUser(userId: string): Promise<AccountView[]> {
    const rows = await this.dataSource
      .getRepository(Membership)
      .createQueryBuilder('m')
      .innerJoinAndMapOne('m.account', Account, 'a', 'a.id = m.account_id AND a.archived_at IS NULL')
      .where('m.user_id = :userId', { userId })
      .getMany();
    return (rows as (Membership & { account: Account })[])
      .map((m) => view(m.account, m.role))
      .sort((a, b) => KIND_ORDER[a.kind] - KIND_ORDER[b.kind] || a.name.localeCompare(b.name));
  }

  /**
   * The user's membership of one account: `not_a_member` when there is none, `account_archived` when there was
   * one but the team is archived (only its members learn that it was archived).
   */
  async membership(userId: string, accountId: string): Promise<AccountView> {
    const account = await this.dataSource.getRepository(Account).findOneBy({ id: accountId });
    const member = account
      ? await this.dataSource.getRepository(Membership).findOneBy({ accountId, userId })
      : null;
    if (!account || !member) throw new TesseraError('not_a_member', 'You are not a member of that account.');
    if (account.archivedAt) throw new TesseraError('account_archived', 'That team was archived.');
    return view(account, member.role);
  }

  /** Any account, archived or not, as the decision point needs it to judge a key of that account. */
  async info(accountId: string): Promise<AccountInfo> {
    const account = isUuid(accountId)
      ? await this.dataSource.getRepository(Account).findOneBy({ id: accountId })
      : null;
    if (!account) throw new TesseraError('not_found', 'The account was not found.');
    return { id: account.id, kind: account.kind, name: account.name, archived: account.archivedAt !== null };
  }
}

function view(account: Account, role: Role): AccountView {
  return { id: account.id, kind: account.kind, name: account.name, role };
}
