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

  @Column('uuid', { name: 'actor_user_id' })
  actorUserId!: string;

  @Column('timestamptz', { name: 'created_at', default: () => 'now()' })
  createdAt!: Date;
}
