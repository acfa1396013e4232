import { DataSource, DataSourceOptions } from 'typeorm';
import { ensureDatabase, quoteIdentifier } from './database';
import { ServiceRole, grantServiceRole, serviceRoleOf } from './service-role';

export type PostgresConnectionOptions = Extract<DataSourceOptions, { type: 'postgres' }>;
export type Constructor = new (...args: never[]) => unknown;

export interface ServiceDatabaseOptions {
  /** The service's own login: a role that may only read and write the rows of its schema. */
  databaseUrl: string;
  /** The login migrations run as (`TESSERA_DATABASE_URL`): it owns the schema and grants the service's role. */
  migrationUrl: string;
  /** The service applies its migrations before it connects: it was given no login of its own. */
  migrateAtStart: boolean;
  /** The service's schema: its tables, its migrations table and its search path. */
  schema: string;
  entities: Constructor[];
  migrations: Constructor[];
}

export function dataSourceOptions(
  options: ServiceDatabaseOptions,
  url = options.databaseUrl,
): PostgresConnectionOptions {
  return {
    type: 'postgres',
    url,
    schema: options.schema,
    entities: options.entities,
    migrations: options.migrations,
    migrationsTableName: 'migrations',
    migrationsRun: false,
    synchronize: false,
    applicationName: `tessera-${options.schema}`,
    // Unqualified names in raw SQL resolve in the service's own schema, never another service's.
    extra: { options: `-c search_path=${options.schema}` },
  };
}

/**
 * Applies a service's pending migrations as the migration login, then grants the service's role the rows of
 * its schema (see `grantServiceRole`). Replicas starting together serialise on an advisory lock, so exactly one
 * runs each migration and the others find it done. Answers the names of the migrations applied.
 */
export async function migrateServiceDatabase(options: ServiceDatabaseOptions): Promise<string[]> {
  await ensureDatabase(options.migrationUrl);
  const dataSource = new DataSource(dataSourceOptions(options, options.migrationUrl));
  await dataSource.initialize();
  try {
    return await migrate(dataSource, options.schema, serviceRoleOf(options.databaseUrl));
  } finally {
    await dataSource.destroy();
  }
}

/**
 * The data source a service works with, logged in as its own role. Without a login of its own the service
 * migrates first; with one, migrating is `npm run migrate`'s job and a schema it left behind stops the start.
 */
export async function openServiceDataSource(options: ServiceDatabaseOptions): Promise<DataSource> {
  if (options.migrateAtStart) await migrateServiceDatabase(options);
  const dataSource = new DataSource(dataSourceOptions(options));
  await dataSource.initialize();
  try {
    await assertMigrated(dataSource, options.schema);
    return dataSource;
  } catch (error) {
    await dataSource.destroy();
    throw error;
  }
}

async function migrate(dataSource: DataSource, schema: string, role: ServiceRole): Promise<string[]> {
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  const lockKey = `tessera:migrate:${schema}`;
  try {
    await runner.query('SELECT pg_advisory_lock(hashtext($1))', [lockKey]);
    await runner.query(`CREATE SCHEMA IF NOT EXISTS ${quoteIdentifier(schema)}`);
    const applied = await dataSource.runMigrations({ transaction: 'each' });
    await grantServiceRole(runner, schema, role);
    return applied.map((m) => m.name);
  } finally {
    await runner.query('SELECT pg_advisory_unlock(hashtext($1))', [lockKey]).catch(() => undefined);
    await runner.release();
  }
}

async function assertMigrated(dataSource: DataSource, schema: string): Promise<void> {
  const table = `${quoteIdentifier(schema)}.migrations`;
  const rows = (await dataSource.query(`SELECT name FROM ${table}`).catch((error: Error) => {
    throw new Error(
      `the ${schema} schema is not readable by this service's login (${error.message}): ` +
        'run `npm run migrate` as TESSERA_DATABASE_URL first (README "Database roles")',
    );
  })) as { name: string }[];
  const applied = new Set(rows.map((row) => row.name));
  const pending = dataSource.migrations
    .map((m) => m.name ?? m.constructor.name)
    .filter((n) => !applied.has(n));
  if (pending.length > 0) {
    throw new Error(
      `the ${schema} schema lacks ${pending.join(', ')}: run \`npm run migrate\` as TESSERA_DATABASE_URL first`,
    );
  }
}
