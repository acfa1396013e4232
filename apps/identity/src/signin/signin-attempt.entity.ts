import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A sign-in between the redirect to the provider and its callback; consumed (deleted) by the callback. */
@Entity({ name: 'signin_attempts' })
export class SignInAttempt {
  @PrimaryColumn('text', { name: 'state_hash' })
  stateHash!: string;

  @Column('text')
  provider!: string;

  @Column('text', { name: 'code_verifier' })
  codeVerifier!: string;

  @Column('text', { nullable: true })
  nonce!: string | null;

  @Column('text', { name: 'return_to' })
  returnTo!: string;

  @Column('uuid', { name: 'link_user_id', nullable: true })
  linkUserId!: string | null;

  @Column('timestamptz', { name: 'expires_at' })
  expiresAt!: Date;
}
