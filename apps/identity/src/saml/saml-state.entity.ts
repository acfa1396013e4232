import { Column, Entity, PrimaryColumn } from 'typeorm';

/** An AuthnRequest sent to an IdP and not answered yet; consumed only by a response that validates. */
@Entity({ name: 'saml_requests' })
export class SamlPendingRequest {
  /** SHA-256 of the request ID, as every sign-in secret is stored. */
  @PrimaryColumn('text', { name: 'id_hash' })
  idHash!: string;

  @Column('uuid', { name: 'connection_id' })
  connectionId!: string;

  /** `test`: the IT admin's "test connection" — show what the IdP sent, sign nobody in. */
  @Column('text')
  purpose!: SamlRequestPurpose;

  @Column('text', { name: 'return_to' })
  returnTo!: string;

  @Column('timestamptz', { name: 'expires_at' })
  expiresAt!: Date;
}

export type SamlRequestPurpose = 'signin' | 'test';

/** An assertion that signed someone in, remembered while it could still be accepted, so it cannot sign in twice. */
@Entity({ name: 'saml_assertions' })
export class SamlUsedAssertion {
  @PrimaryColumn('uuid', { name: 'connection_id' })
  connectionId!: string;

  @PrimaryColumn('text', { name: 'assertion_id' })
  assertionId!: string;

  @Column('timestamptz', { name: 'expires_at' })
  expiresAt!: Date;
}
