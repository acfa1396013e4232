import { ModuleMetadata, Type } from '@nestjs/common';
import { CommonConfig, ServiceConfig } from '@tessera/config';
import { ServiceName } from '@tessera/contracts';
import { Keyring, ServiceDefinition, ServiceKitModule } from '@tessera/runtime';
import { Constructor, ServiceDatabaseOptions } from './data-source';
import { PersistenceModule, withOutbox } from './persistence.module';

export type DatabaseServiceName = Exclude<ServiceName, 'gateway'>;

const OWN_DATABASE_URL = {
  identity: 'identityDatabaseUrl',
  teams: 'teamsDatabaseUrl',
  keys: 'keysDatabaseUrl',
  notifications: 'notificationsDatabaseUrl',
} as const satisfies Record<DatabaseServiceName, keyof CommonConfig>;

/**
 * A service's logins. Its own (`TESSERA_<SERVICE>_DATABASE_URL`) when given: migrations are then a separate step.
 * Otherwise `TESSERA_DATABASE_URL` with the user `tessera_<service>` and the same password, which the role is
 * created with: the service migrates as the first and works as the second, so one URL still gives each service
 * a login limited to its schema.
 */
export function serviceLogins(
  config: CommonConfig,
  service: DatabaseServiceName,
): Pick<ServiceDatabaseOptions, 'databaseUrl' | 'migrationUrl' | 'migrateAtStart'> {
  const own = config[OWN_DATABASE_URL[service]];
  if (own) return { databaseUrl: own, migrationUrl: config.databaseUrl, migrateAtStart: false };
  const derived = new URL(config.databaseUrl);
  derived.username = `tessera_${service}`;
  return { databaseUrl: derived.toString(), migrationUrl: config.databaseUrl, migrateAtStart: true };
}

type Imports = NonNullable<ModuleMetadata['imports']>;

export interface ServiceParts {
  /** The service's root module class. */
  module: Type<unknown>;
  entities?: Constructor[];
  migrations?: Constructor[];
  /** Modules the service adds; a function when they need configuration (a Redis URL, a provider's settings). */
  imports?: Imports | ((config: ServiceConfig) => Imports);
  controllers?: ModuleMetadata['controllers'];
  providers?: ModuleMetadata['providers'];
}

export interface DatabaseServiceDefinition extends ServiceDefinition {
  /** The service's schema (named after it), entities and migrations, for `npm run migrate` as for the service. */
  database(config: CommonConfig): ServiceDatabaseOptions;
}

/** Joins what every service has (kit, schema named after the service, outbox) with what this one adds. */
export function defineService(name: DatabaseServiceName, parts: ServiceParts): DatabaseServiceDefinition {
  const database = (config: CommonConfig): ServiceDatabaseOptions =>
    withOutbox({
      ...serviceLogins(config, name),
      schema: name,
      entities: parts.entities ?? [],
      migrations: parts.migrations ?? [],
    });
  return {
    name,
    database,
    moduleFor: (config, logger) => ({
      module: parts.module,
      imports: [
        ServiceKitModule.forService({ service: name, config, logger }),
        PersistenceModule.forService(database(config), config.outboxPollMs, Keyring.fromConfig(config)),
        ...(typeof parts.imports === 'function' ? parts.imports(config) : (parts.imports ?? [])),
      ],
      controllers: parts.controllers,
      providers: parts.providers,
    }),
  };
}
