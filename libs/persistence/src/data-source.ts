import { DataSource, DataSourceOptions } from 'typeorm';
import { ensureDatabase, quoteIdentifier } from './database';

export type PostgresConnectionOptions = Extract<DataSourceOptions, { type: 'postgres' }>;
export type Constructor = new (...args: never[]) => unknown;

export interface ServiceDatabaseOptions {
  databaseUrl: string;
  /** The service's schema: its tables, its migrations table and its search path. */
  schema: string;
  entities: Constructor[];
  migrations: Constructor[];
}

export function dataSourceOptions(options: ServiceDatabaseOptions): PostgresConnectionOptions {
  return {
    type: 'postgres',
    url: options.databaseUrl,
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
 * Opens a service's data source with its schema migrated. Replicas starting together serialise on an advisory
 * lock, so exactly one runs each migration and the others find it done.
 */
export async function openMigratedDataSource(
  options: PostgresConnectionOptions,
): Promise<{ dataSource: DataSource; applied: string[] }> {
  if (!options.schema || !options.url) throw new Error('a service data source needs a url and a schema');
  await ensureDatabase(options.url);
  const dataSource = new DataSource(options);
  await dataSource.initialize();
  try {
    return { dataSource, applied: await migrate(dataSource, options.schema) };
  } catch (error) {
    await dataSource.destroy();
    throw error;
  }
}

export async function migrate(dataSource: DataSource, schema: string): Promise<string[]> {
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  const lockKey = `tessera:migrate:${schema}`;
  try {
    await runner.query('SELECT pg_advisory_lock(hashtext($1))', [lockKey]);
    await runner.query(`CREATE SCHEMA IF NOT EXISTS ${quoteIdentifier(schema)}`);
    const applied = await dataSource.runMigrations({ transaction: 'each' });
    return applied.map((m) => m.name);
  } finally {
    await runner.query('SELECT pg_advisory_unlock(hashtext($1))', [lockKey]).catch(() => undefined);
    await runner.release();
  }
}
