import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Organizations' SAML connections: the IdP they trust (entity id, SSO URL, signing certificates) and how the people
 * it signs in are placed in the organization's teams (group mappings, or a default team and role).
 */
export class SsoConnections1765200000000 implements MigrationInterface {
  name = 'SsoConnections1765200000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE identity.sso_connections (
        id uuid PRIMARY KEY,
        organization_id uuid NOT NULL,       -- teams' account id; no foreign key across services
        name text NOT NULL,
        enabled boolean NOT NULL,
        idp_entity_id text NOT NULL,
        idp_sso_url text NOT NULL,
        idp_certificates jsonb NOT NULL,     -- PEM strings: one, or two while the IdP rotates its key
        allow_idp_initiated boolean NOT NULL,
        clock_skew_seconds integer NOT NULL,
        attribute_mapping jsonb NOT NULL,
        group_mappings jsonb NOT NULL,
        default_team_id uuid,
        default_role text CHECK (default_role IN ('admin', 'developer', 'billing')),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(
      `CREATE INDEX sso_connections_organization ON identity.sso_connections (organization_id)`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE identity.sso_connections`);
  }
}
