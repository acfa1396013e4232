import { Injectable } from '@nestjs/common';
import { AccountInfo, AccountView, Role, TesseraError } from '@tessera/contracts';
import { DataSource } from 'typeorm';
import { v7 as uuidv7 } from 'uuid';
import { Account } from './account.entity';
import { MemberAccountRow, MembershipsRepository } from './memberships.repository';

const KIND_ORDER = { personal: 0, organization: 1, team: 2 } as const;

@Injectable()
export class AccountsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly memberships: MembershipsRepository,
  ) {}

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
      if (created.length > 0) await this.memberships.in(manager).add(id, userId, 'admin');
    });
    const account = await this.dataSource
      .getRepository(Account)
      .findOneByOrFail({ kind: 'personal', ownerUserId: userId });
    return view(account, 'admin');
  }

  /**
   * Every account the user may act for, personal first: their memberships, and for an Org Admin every team of the
   * organization (as Admin). Archived ones are gone from the list.
   */
  async listForUser(userId: string): Promise<AccountView[]> {
    const rows = await this.memberships.accountsOf(userId);
    const strongest = new Map<string, AccountView>();
    for (const row of rows) {
      const known = strongest.get(row.id);
      if (!known || row.role === 'admin') strongest.set(row.id, rowView(row));
    }
    return [...strongest.values()].sort(
      (a, b) => KIND_ORDER[a.kind] - KIND_ORDER[b.kind] || a.name.localeCompare(b.name),
    );
  }

  /**
   * The user's role in one account: their membership, or Admin for an Org Admin of the team's organization.
   * `not_a_member` when neither; `account_archived` when the team is archived (only its members learn that).
   */
  async membership(userId: string, accountId: string): Promise<AccountView> {
    const account = await this.dataSource.getRepository(Account).findOneBy({ id: accountId });
    const notAMember = new TesseraError('not_a_member', 'You are not a member of that account.');
    if (!account) throw notAMember;
    const member = await this.memberships.find(accountId, userId);
    const orgAdmin =
      account.organizationId !== null && (await this.memberships.isAdmin(account.organizationId, userId));
    if (!member && !orgAdmin) throw notAMember;
    if (account.archivedAt) throw new TesseraError('account_archived', 'That team was archived.');
    return view(account, orgAdmin ? 'admin' : member!.role);
  }

  /** Any account, archived or not, as the decision point needs it to judge a key of that account. */
  async info(accountId: string): Promise<AccountInfo> {
    const account = await this.dataSource.getRepository(Account).findOneBy({ id: accountId });
    if (!account) throw new TesseraError('not_found', 'The account was not found.');
    return {
      id: account.id,
      kind: account.kind,
      name: account.name,
      archived: account.archivedAt !== null,
      ...(account.organizationId ? { organizationId: account.organizationId } : {}),
    };
  }
}

function view(account: Account, role: Role): AccountView {
  return rowView({ ...account, organization_id: account.organizationId, role });
}

function rowView(row: MemberAccountRow): AccountView {
  return {
    id: row.id,
    kind: row.kind,
    name: row.name,
    role: row.role,
    ...(row.organization_id ? { organizationId: row.organization_id } : {}),
  };
}
