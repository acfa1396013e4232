import { Column, Entity, PrimaryColumn } from 'typeorm';

export type DeviceGrantStatus = 'pending' | 'approved' | 'denied' | 'used';

@Entity({ name: 'device_grants' })
export class DeviceGrant {
  @PrimaryColumn('uuid')
  id!: string;

  @Column('text', { name: 'device_code_hash' })
  deviceCodeHash!: string;

  @Column('text', { name: 'user_code' })
  userCode!: string;

  @Column('text', { name: 'client_id', nullable: true })
  clientId!: string | null;

  @Column('text')
  status!: DeviceGrantStatus;

  @Column('integer', { name: 'interval_seconds' })
  intervalSeconds!: number;

  @Column('timestamptz', { name: 'last_polled_at', nullable: true })
  lastPolledAt!: Date | null;

  @Column('uuid', { name: 'user_id', nullable: true })
  userId!: string | null;

  @Column('uuid', { name: 'account_id', nullable: true })
  accountId!: string | null;

  /** The approving browser session's sign-in time: the session the CLI receives inherits it. */
  @Column('timestamptz', { name: 'signed_in_at', nullable: true })
  signedInAt!: Date | null;

  @Column('timestamptz', { name: 'created_at', default: () => 'now()' })
  createdAt!: Date;

  @Column('timestamptz', { name: 'expires_at' })
  expiresAt!: Date;
}
