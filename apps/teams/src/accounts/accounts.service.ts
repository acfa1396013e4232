import { Injectable } from '@nestjs/common';
import { AccountInfo, AccountKind, AccountView, Role, TesseraError, isUuid } from '@tessera/contracts';
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

  /**
   * Every account the user may act for, personal first: their memberships, and for an Org Admin every team of the
   * organization (as Admin). Archived ones are gone from the list.
   */
  async listForUser(userId: string): Promise<AccountView[]> {
    const rows = (await this.dataSource.query(
      `SELECT a.id, a.kind, a.name, a.organization_id, m.role
         FROM teams.memberships m JOIN teams.accounts a ON a.id = m.account_id
        WHERE m.user_id = $1 AND a.archived_at IS NULL
       UNION
       SELECT t.id, t.kind, t.name, t.organization_id, 'admin'
         FROM teams.memberships m JOIN teams.accounts t ON t.organization_id = m.account_id
        WHERE m.user_id = $1 AND m.role = 'admin' AND t.archived_at IS NULL`,
      [userId],
    )) as AccountRow[];
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
    const memberships = this.dataSource.getRepository(Membership);
    const member = await memberships.findOneBy({ accountId, userId });
    const orgAdmin =
      account.organizationId !== null &&
      (await memberships.existsBy({ accountId: account.organizationId, userId, role: 'admin' }));
    if (!member && !orgAdmin) throw notAMember;
    if (account.archivedAt) throw new TesseraError('account_archived', 'That team was archived.');
    return view(account, orgAdmin ? 'admin' : member!.role);
  }

  /** Any account, archived or not, as the decision point needs it to judge a key of that account. */
  async info(accountId: string): Promise<AccountInfo> {
    const account = isUuid(accountId)
      ? await this.dataSource.getRepository(Account).findOneBy({ id: accountId })
      : null;
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

interface AccountRow {
  id: string;
  kind: AccountKind;
  name: string;
  organization_id: string | null;
  role: Role;
}

function view(account: Account, role: Role): AccountView {
  return rowView({ ...account, organization_id: account.organizationId, role });
}

function rowView(row: AccountRow): AccountView {
  return {
    id: row.id,
    kind: row.kind,
    name: row.name,
    role: row.role,
    ...(row.organization_id ? { organizationId: row.organization_id } : {}),
  };
}
