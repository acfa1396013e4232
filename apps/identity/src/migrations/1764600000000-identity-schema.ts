import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Users and how they sign in. Invariants live here as well as in code: one user per (provider, subject); one
 * current refresh token per session; secrets (refresh tokens, device codes, sign-in states) only as SHA-256 hashes.
 */
export class IdentitySchema1764600000000 implements MigrationInterface {
  name = 'IdentitySchema1764600000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE identity.users (
        id uuid PRIMARY KEY,
        email text NOT NULL,                 -- the verified e-mail of the first sign-in
        name text,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    // Not unique: a verified e-mail may belong to one user only, but that rule is enforced when identities are
    // linked (account_exists_with_different_provider), and SSO users of later issues may share a mailbox.
    await queryRunner.query(`CREATE INDEX users_email ON identity.users (lower(email))`);

    await queryRunner.query(`
      CREATE TABLE identity.linked_identities (
        id uuid PRIMARY KEY,
        user_id uuid NOT NULL REFERENCES identity.users (id) ON DELETE CASCADE,
        provider text NOT NULL,              -- github | google | saml:<connection id>
        subject text NOT NULL,               -- the provider's stable user id, never the e-mail
        email text,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT linked_identities_provider_subject UNIQUE (provider, subject),
        CONSTRAINT linked_identities_user_provider UNIQUE (user_id, provider)
      )`);

    await queryRunner.query(`
      CREATE TABLE identity.sessions (
        id uuid PRIMARY KEY,
        user_id uuid NOT NULL REFERENCES identity.users (id) ON DELETE CASCADE,
        default_account_id uuid,             -- chosen at device login; the account Bearer requests act for
        user_agent text,
        ip text,
        created_at timestamptz NOT NULL DEFAULT now(),
        last_used_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL,     -- slides forward on each refresh
        revoked_at timestamptz,
        revoked_reason text
      )`);
    await queryRunner.query(
      `CREATE INDEX sessions_user ON identity.sessions (user_id) WHERE revoked_at IS NULL`,
    );

    await queryRunner.query(`
      CREATE TABLE identity.refresh_tokens (
        token_hash text PRIMARY KEY,         -- SHA-256 of the token; the token itself is never stored
        session_id uuid NOT NULL REFERENCES identity.sessions (id) ON DELETE CASCADE,
        created_at timestamptz NOT NULL DEFAULT now(),
        rotated_at timestamptz               -- set when exchanged; presenting it again revokes the session
      )`);
    await queryRunner.query(
      `CREATE UNIQUE INDEX refresh_tokens_current ON identity.refresh_tokens (session_id) WHERE rotated_at IS NULL`,
    );

    await queryRunner.query(`
      CREATE TABLE identity.signin_attempts (
        state_hash text PRIMARY KEY,
        provider text NOT NULL,
        code_verifier text NOT NULL,         -- PKCE; useless without the provider's code
        nonce text,
        return_to text NOT NULL,
        link_user_id uuid REFERENCES identity.users (id) ON DELETE CASCADE,
        expires_at timestamptz NOT NULL
      )`);

    await queryRunner.query(`
      CREATE TABLE identity.device_grants (
        id uuid PRIMARY KEY,
        device_code_hash text NOT NULL UNIQUE,
        user_code text NOT NULL UNIQUE,
        client_id text,
        status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'approved', 'denied', 'used')),
        interval_seconds integer NOT NULL,
        last_polled_at timestamptz,
        user_id uuid REFERENCES identity.users (id) ON DELETE CASCADE,
        account_id uuid,
        created_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL
      )`);

    await queryRunner.query(`
      CREATE TABLE identity.signing_keys (
        kid text PRIMARY KEY,
        public_jwk jsonb NOT NULL,
        private_key_encrypted text NOT NULL, -- AES-256-GCM under a key derived from TESSERA_SECRET_KEY
        created_at timestamptz NOT NULL DEFAULT now(),
        retired_at timestamptz
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of [
      'signing_keys',
      'device_grants',
      'signin_attempts',
      'refresh_tokens',
      'sessions',
      'linked_identities',
      'users',
    ]) {
      await queryRunner.query(`DROP TABLE identity.${table}`);
    }
  }
}
