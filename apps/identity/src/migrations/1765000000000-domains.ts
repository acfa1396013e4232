import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Domains organizations claim and prove by a DNS TXT record. Any number of organizations may claim a domain, each
 * once; at most one may have it verified (a partial unique index, which also answers "whose is this e-mail's
 * domain?" for sign-in). `organization_id` names an organization of the teams service: no foreign key across schemas.
 */
export class Domains1765000000000 implements MigrationInterface {
  name = 'Domains1765000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE identity.domains (
        id uuid PRIMARY KEY,
        organization_id uuid NOT NULL,
        domain text NOT NULL CHECK (domain = lower(domain)), -- ASCII (punycode), no trailing dot
        verification_token text NOT NULL,   -- random; public by design, since it is published in DNS
        status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'verified')),
        created_at timestamptz NOT NULL DEFAULT now(),
        verified_at timestamptz,
        CONSTRAINT domains_organization_domain UNIQUE (organization_id, domain),
        CONSTRAINT domains_verified_at CHECK ((status = 'verified') = (verified_at IS NOT NULL))
      )`);
    await queryRunner.query(
      `CREATE UNIQUE INDEX domains_verified_domain ON identity.domains (domain) WHERE status = 'verified'`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE identity.domains`);
  }
}
