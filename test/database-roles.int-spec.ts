import { randomBytes } from 'node:crypto';
import { commonVariables, loadConfig } from '@tessera/config';
import {
  DatabaseServiceName,
  ServiceRoleMissingError,
  migrateServiceDatabase,
  openServiceDataSource,
  scramVerifier,
} from '@tessera/persistence';
import { TestDatabase } from '@tessera/testing';
import { Client } from 'pg';
import { databaseServices } from '../tools/service-definitions';

const SERVER_URL = process.env.TESSERA_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const SERVICES = databaseServices.map((service) => service.name as DatabaseServiceName);

/** Roles belong to the whole server, so each run names its own and drops them afterwards. */
const run = randomBytes(4).toString('hex');
const roleOf = (who: string) => `tessera_t${run}_${who}`;
/** The roles an operator makes in the last scenario, apart from those migrations made in the first. */
const provisionedRoleOf = (service: string) => roleOf(`op_${service}`);
const passwordOf = (service: string) => `pw-${service}-${run}`;

function urlAs(databaseUrl: string, role: string, password?: string): string {
  const url = new URL(databaseUrl);
  url.username = role;
  url.password = password ?? '';
  return url.toString();
}

/** The configuration of a deployment that gives each service a login of its own. */
function configWithOwnLogins(migrationUrl: string, role: (service: string) => string = roleOf) {
  return loadConfig(commonVariables, {
    TESSERA_DATABASE_URL: migrationUrl,
    ...Object.fromEntries(
      SERVICES.map((service) => [
        `TESSERA_${service.toUpperCase()}_DATABASE_URL`,
        urlAs(migrationUrl, role(service), passwordOf(service)),
      ]),
    ),
  });
}

async function asSuperuser<T>(work: (client: Client) => Promise<T>, url = SERVER_URL): Promise<T> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** The SQL error code a statement fails with as the given login, or `ok`. */
async function outcome(url: string, sql: string): Promise<string> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(sql);
    return 'ok';
  } catch (error) {
    return `${(error as { code?: string }).code}: ${(error as Error).message}`;
  } finally {
    await client.end();
  }
}

afterAll(async () => {
  await asSuperuser(async (client) => {
    const roles = [...SERVICES.map(roleOf), ...SERVICES.map(provisionedRoleOf), roleOf('migrator')];
    for (const role of roles) await client.query(`DROP ROLE IF EXISTS "${role}"`);
  });
});

describe('each service logs in as a role limited to its schema (PostgreSQL)', () => {
  let database: TestDatabase;
  let config: ReturnType<typeof configWithOwnLogins>;
  const loginOf = (service: DatabaseServiceName) => urlAs(database.url, roleOf(service), passwordOf(service));

  beforeAll(async () => {
    database = await TestDatabase.create();
    config = configWithOwnLogins(database.url);
    for (const service of databaseServices) await migrateServiceDatabase(service.database(config));
  });

  afterAll(() => database?.drop());

  it("refuses teams' role a read of identity.sessions", async () => {
    expect(await outcome(loginOf('teams'), 'SELECT * FROM identity.sessions')).toBe(
      '42501: permission denied for schema identity',
    );
  });

  it("refuses every service's role every other service's schema", async () => {
    for (const service of SERVICES) {
      for (const other of SERVICES.filter((s) => s !== service)) {
        expect(await outcome(loginOf(service), `SELECT count(*) FROM ${other}.outbox`)).toBe(
          `42501: permission denied for schema ${other}`,
        );
      }
    }
  });

  it("gives each role the rows of its own schema's tables and nothing more", async () => {
    for (const service of SERVICES) {
      const login = loginOf(service);
      const id = 'e6f0a0a0-0000-4000-8000-000000000001';
      expect(
        await outcome(
          login,
          `INSERT INTO ${service}.outbox (id, subject, envelope) VALUES ('${id}', 's', '{}');
           UPDATE ${service}.outbox SET published_at = now() WHERE id = '${id}';
           SELECT * FROM ${service}.outbox; DELETE FROM ${service}.outbox WHERE id = '${id}'`,
        ),
      ).toBe('ok');
      expect(await outcome(login, `CREATE TABLE ${service}.extra (id int)`)).toBe(
        `42501: permission denied for schema ${service}`,
      );
      expect(await outcome(login, `DROP TABLE ${service}.outbox`)).toBe(
        '42501: must be owner of table outbox',
      );
      expect(await outcome(login, `DELETE FROM ${service}.migrations`)).toBe(
        '42501: permission denied for table migrations',
      );
    }
  });

  it("opens each service's data source as its role, on the schema `npm run migrate` left", async () => {
    for (const service of databaseServices) {
      const dataSource = await openServiceDataSource(service.database(config));
      try {
        const [{ who }] = (await dataSource.query('SELECT current_user AS who')) as { who: string }[];
        expect(who).toBe(roleOf(service.name));
      } finally {
        await dataSource.destroy();
      }
    }
  });

  it('creates a missing role with the password of its URL, as PostgreSQL itself stores one', async () => {
    const stored = await asSuperuser(async (client) => {
      const { rows } = await client.query<{ rolpassword: string }>(
        'SELECT rolpassword FROM pg_authid WHERE rolname = $1',
        [roleOf('keys')],
      );
      return rows[0].rolpassword;
    });
    const [, iterations, salt] = /^SCRAM-SHA-256\$(\d+):([^$]+)\$/.exec(stored)!;
    expect(scramVerifier(passwordOf('keys'), Buffer.from(salt, 'base64'), Number(iterations))).toBe(stored);
  });

  it('computes the verifier PostgreSQL computes for the same password and salt', async () => {
    const role = roleOf('scram');
    const stored = await asSuperuser(async (client) => {
      await client.query(`SET password_encryption = 'scram-sha-256'`);
      await client.query(`CREATE ROLE "${role}" PASSWORD 'correct horse'`);
      const { rows } = await client.query<{ rolpassword: string }>(
        'SELECT rolpassword FROM pg_authid WHERE rolname = $1',
        [role],
      );
      await client.query(`DROP ROLE "${role}"`);
      return rows[0].rolpassword;
    });
    const [, iterations, salt] = /^SCRAM-SHA-256\$(\d+):([^$]+)\$/.exec(stored)!;
    expect(scramVerifier('correct horse', Buffer.from(salt, 'base64'), Number(iterations))).toBe(stored);
  });
});

describe('a service without a login of its own (development, the test stack)', () => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await TestDatabase.create();
  });

  afterAll(() => database?.drop());

  it('migrates as TESSERA_DATABASE_URL, then works as tessera_<service>', async () => {
    const [identity, teams] = databaseServices;
    const config = loadConfig(commonVariables, { TESSERA_DATABASE_URL: database.url });
    await migrateServiceDatabase(identity.database(config));
    const dataSource = await openServiceDataSource(teams.database(config));
    try {
      expect(await dataSource.query('SELECT current_user AS who')).toEqual([{ who: 'tessera_teams' }]);
      await expect(dataSource.query('SELECT * FROM identity.sessions')).rejects.toThrow(
        'permission denied for schema identity',
      );
    } finally {
      await dataSource.destroy();
    }
  });
});

describe('a service given a login of its own does not migrate', () => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await TestDatabase.create();
  });

  afterAll(() => database?.drop());

  it('stops its start on a schema `npm run migrate` has not brought up to date', async () => {
    const [teams] = databaseServices.filter((service) => service.name === 'teams');
    await expect(openServiceDataSource(teams.database(configWithOwnLogins(database.url)))).rejects.toThrow(
      /the teams schema is not readable by this service's login .*run `npm run migrate`/,
    );
  });

  it('stops its start on a schema that lacks a migration of this version', async () => {
    const [teams] = databaseServices.filter((service) => service.name === 'teams');
    const config = configWithOwnLogins(database.url);
    await migrateServiceDatabase(teams.database(config));
    await asSuperuser(
      (client) => client.query(`DELETE FROM teams.migrations WHERE name = 'Policies1765100000000'`),
      database.url,
    );
    await expect(openServiceDataSource(teams.database(config))).rejects.toThrow(
      'the teams schema lacks Policies1765100000000: run `npm run migrate` as TESSERA_DATABASE_URL first',
    );
  });
});

describe('roles an operator provisions (README "Database roles")', () => {
  const databaseName = `tessera_test_${run}_provisioned`;
  const migrator = roleOf('migrator');
  let migrationUrl: string;

  beforeAll(async () => {
    await asSuperuser(async (client) => {
      await client.query(`CREATE ROLE "${migrator}" LOGIN`);
      await client.query(`CREATE DATABASE "${databaseName}" OWNER "${migrator}"`);
    });
    const url = new URL(SERVER_URL);
    url.pathname = `/${databaseName}`;
    migrationUrl = urlAs(url.toString(), migrator);
  });

  afterAll(() =>
    asSuperuser((client) => client.query(`DROP DATABASE IF EXISTS "${databaseName}" WITH (FORCE)`)),
  );

  it('names the missing role when the migration login may not create roles, then migrates once it exists', async () => {
    const config = configWithOwnLogins(migrationUrl, provisionedRoleOf);
    const [identity] = databaseServices;
    await expect(migrateServiceDatabase(identity.database(config))).rejects.toThrow(ServiceRoleMissingError);
    await expect(migrateServiceDatabase(identity.database(config))).rejects.toThrow(
      `the role ${provisionedRoleOf('identity')} (for the identity schema) does not exist`,
    );

    await asSuperuser(async (client) => {
      for (const service of SERVICES) {
        await client.query(
          `CREATE ROLE "${provisionedRoleOf(service)}" LOGIN PASSWORD '${passwordOf(service)}'`,
        );
      }
    });
    for (const service of databaseServices) await migrateServiceDatabase(service.database(config));

    expect(
      await outcome(urlAs(migrationUrl, provisionedRoleOf('teams')), 'SELECT count(*) FROM teams.accounts'),
    ).toBe('ok');
    expect(
      await outcome(urlAs(migrationUrl, provisionedRoleOf('teams')), 'SELECT * FROM identity.sessions'),
    ).toBe('42501: permission denied for schema identity');
  });
});
