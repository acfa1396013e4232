import { KeyScope } from '@tessera/contracts';
import { Column, Entity, PrimaryColumn } from 'typeorm';

@Entity({ name: 'api_keys' })
export class ApiKey {
  @PrimaryColumn('uuid')
  id!: string;

  @Column('uuid', { name: 'account_id' })
  accountId!: string;

  @Column('text')
  name!: string;

  @Column('text')
  scope!: KeyScope;

  @Column('uuid', { name: 'created_by_user_id' })
  createdByUserId!: string;

  @Column('timestamptz', { name: 'created_at', default: () => 'now()' })
  createdAt!: Date;

  @Column('timestamptz', { name: 'expires_at', nullable: true })
  expiresAt!: Date | null;

  @Column('timestamptz', { name: 'revoked_at', nullable: true })
  revokedAt!: Date | null;

  @Column('timestamptz', { name: 'last_used_at', nullable: true })
  lastUsedAt!: Date | null;
}

@Entity({ name: 'key_secrets' })
export class KeySecret {
  @PrimaryColumn('text')
  hash!: string;

  @Column('uuid', { name: 'key_id' })
  keyId!: string;

  @Column('text')
  prefix!: string;

  @Column('text')
  last4!: string;

  @Column('timestamptz', { name: 'created_at', default: () => 'now()' })
  createdAt!: Date;

  @Column('timestamptz', { name: 'expires_at', nullable: true })
  expiresAt!: Date | null;

  /** Id of the root secret whose pepper made `hash` (see the key-pepper-ids migration). */
  @Column('text', { name: 'pepper_key_id', nullable: true })
  pepperKeyId!: string | null;
}
