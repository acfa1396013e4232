import { createHash, createHmac, pbkdf2Sync, randomBytes } from 'node:crypto';
import { QueryRunner } from 'typeorm';
import { quoteIdentifier } from './database';

/** A service's own login, read from the URL it connects with. */
export interface ServiceRole {
  name: string;
  /** Given when the URL carries one: a role created by a migration gets it. */
  password?: string;
}

export function serviceRoleOf(databaseUrl: string): ServiceRole {
  const url = new URL(databaseUrl);
  const name = decodeURIComponent(url.username);
  if (!name) throw new Error(`${redacted(url)} names no user: a service connects as a role of its own`);
  return { name, password: url.password ? decodeURIComponent(url.password) : undefined };
}

/** The role is missing and the migration connection may not create it: the operator provisions it (README). */
export class ServiceRoleMissingError extends Error {
  constructor(role: string, schema: string) {
    super(
      `the role ${role} (for the ${schema} schema) does not exist and this migration connection may not create ` +
        'roles: create it as README "Database roles" shows, then migrate again',
    );
  }
}

/**
 * Run by the migration connection after a schema's migrations, every time: makes the service's role if it is
 * missing and lets it read and write the rows of every table and use every sequence in the schema — nothing
 * else (no CREATE, no ALTER, no DROP: those stay with the migration connection, which owns the schema). The
 * grants are repeated on each run rather than left to default privileges, which only cover tables made by the
 * role that declared them, so a migration run by another admin would leave its tables out. Applied migrations
 * are only read: the service checks them at start.
 */
export async function grantServiceRole(
  runner: QueryRunner,
  schema: string,
  role: ServiceRole,
): Promise<void> {
  const [{ migrator }] = (await runner.query('SELECT current_user AS migrator')) as { migrator: string }[];
  // A service given the migration login itself owns the schema already; revoking would lock migrations out.
  if (role.name === migrator) return;
  await createRoleIfMissing(runner, schema, role);
  const on = quoteIdentifier(schema);
  const to = quoteIdentifier(role.name);
  await runner.query(`GRANT USAGE ON SCHEMA ${on} TO ${to}`);
  await runner.query(`GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA ${on} TO ${to}`);
  await runner.query(`REVOKE INSERT, UPDATE, DELETE ON ${on}.migrations FROM ${to}`);
  await runner.query(`GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA ${on} TO ${to}`);
}

async function createRoleIfMissing(runner: QueryRunner, schema: string, role: ServiceRole): Promise<void> {
  const found = (await runner.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [role.name])) as unknown[];
  if (found.length > 0) return;
  // The verifier, not the password, goes to the server, so no statement log can show the password.
  const password = role.password ? ` PASSWORD '${scramVerifier(role.password)}'` : '';
  try {
    await runner.query(`CREATE ROLE ${quoteIdentifier(role.name)} LOGIN${password}`);
  } catch (error) {
    const code = (error as { driverError?: { code?: string } }).driverError?.code;
    // Roles belong to the whole server: another database's migration (a test run, an installation) may win.
    if (code === '42710' || code === '23505') return;
    if (code === '42501') throw new ServiceRoleMissingError(role.name, schema);
    throw error;
  }
}

/**
 * PostgreSQL's stored form of a SCRAM-SHA-256 password (RFC 5802, 7677), as `psql`'s `\password` computes it on the
 * client. Passwords outside printable ASCII would need SASLprep first, so they are refused rather than stored wrong.
 */
export function scramVerifier(password: string, salt = randomBytes(16), iterations = 4096): string {
  if (!/^[\x20-\x7e]+$/.test(password)) {
    throw new Error('a database password for a service role must be printable ASCII');
  }
  const salted = pbkdf2Sync(password, salt, iterations, 32, 'sha256');
  const clientKey = createHmac('sha256', salted).update('Client Key').digest();
  const storedKey = createHash('sha256').update(clientKey).digest();
  const serverKey = createHmac('sha256', salted).update('Server Key').digest();
  const b64 = (bytes: Buffer) => bytes.toString('base64');
  return `SCRAM-SHA-256$${iterations}:${b64(salt)}$${b64(storedKey)}:${b64(serverKey)}`;
}

function redacted(url: URL): string {
  const shown = new URL(url);
  shown.password = '';
  return shown.toString();
}
