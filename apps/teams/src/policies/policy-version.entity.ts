import { PolicySettings } from '@tessera/contracts';
import { Column, Entity, PrimaryColumn } from 'typeorm';

@Entity({ name: 'policy_versions' })
export class PolicyVersion {
  @PrimaryColumn('uuid', { name: 'account_id' })
  accountId!: string;

  @PrimaryColumn('integer')
  version!: number;

  @Column('jsonb')
  settings!: PolicySettings;

  /** NULL for a version the upgrade wrote (see the organization-only sign-in settings migration). */
  @Column('uuid', { name: 'actor_user_id', nullable: true })
  actorUserId!: string | null;

  @Column('timestamptz', { name: 'created_at', default: () => 'now()' })
  createdAt!: Date;
}
