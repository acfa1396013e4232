import { AccountKind, Role } from '@tessera/contracts';
import { Column, Entity, PrimaryColumn } from 'typeorm';

@Entity({ name: 'accounts' })
export class Account {
  @PrimaryColumn('uuid')
  id!: string;

  @Column('text')
  kind!: AccountKind;

  @Column('text')
  name!: string;

  @Column('uuid', { name: 'owner_user_id', nullable: true })
  ownerUserId!: string | null;

  @Column('timestamptz', { name: 'created_at', default: () => 'now()' })
  createdAt!: Date;

  @Column('timestamptz', { name: 'archived_at', nullable: true })
  archivedAt!: Date | null;

  /** For a team inside an organization: the organization. */
  @Column('uuid', { name: 'organization_id', nullable: true })
  organizationId!: string | null;
}

@Entity({ name: 'memberships' })
export class Membership {
  @PrimaryColumn('uuid', { name: 'account_id' })
  accountId!: string;

  @PrimaryColumn('uuid', { name: 'user_id' })
  userId!: string;

  @Column('text')
  role!: Role;

  /** Made by the organization's SSO from the person's groups (and taken back when they no longer match). */
  @Column('boolean', { name: 'provisioned_by_sso', default: false })
  provisionedBySso!: boolean;

  @Column('timestamptz', { name: 'created_at', default: () => 'now()' })
  createdAt!: Date;
}
