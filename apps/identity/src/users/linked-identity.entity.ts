import { Column, Entity, PrimaryColumn } from 'typeorm';

/** How a user signs in: one row per provider, keyed by the provider's subject (never by e-mail). */
@Entity({ name: 'linked_identities' })
export class LinkedIdentity {
  @PrimaryColumn('uuid')
  id!: string;

  @Column('uuid', { name: 'user_id' })
  userId!: string;

  @Column('text')
  provider!: string;

  @Column('text')
  subject!: string;

  @Column('text', { nullable: true })
  email!: string | null;

  @Column('timestamptz', { name: 'created_at', default: () => 'now()' })
  createdAt!: Date;
}
