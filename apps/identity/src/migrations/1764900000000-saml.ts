import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What SAML sign-in must remember between requests, and only for minutes: the AuthnRequests still waiting for an
 * answer (so a response must answer one of ours, once) and the assertions already used (so none signs in twice).
 * Neither table references a connection row: connections are configuration, and rows outlive nothing but their
 * expiry.
 */
export class Saml1764900000000 implements MigrationInterface {
  name = 'Saml1764900000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE identity.saml_requests (
        id_hash text PRIMARY KEY,            -- SHA-256 of the AuthnRequest ID; the ID itself is never stored
        connection_id uuid NOT NULL,         -- a response is accepted only on the connection that sent the request
        purpose text NOT NULL CHECK (purpose IN ('signin', 'test')),
        return_to text NOT NULL,             -- same-origin path to land on after sign-in
        expires_at timestamptz NOT NULL
      )`);
    await queryRunner.query(`CREATE INDEX saml_requests_expires_at ON identity.saml_requests (expires_at)`);

    await queryRunner.query(`
      CREATE TABLE identity.saml_assertions (
        connection_id uuid NOT NULL,
        assertion_id text NOT NULL,          -- the IdP's ID of an assertion that signed someone in
        expires_at timestamptz NOT NULL,     -- when the assertion stops being acceptable anyway (skew included)
        PRIMARY KEY (connection_id, assertion_id)
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE identity.saml_assertions`);
    await queryRunner.query(`DROP TABLE identity.saml_requests`);
  }
}
