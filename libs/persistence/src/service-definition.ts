import { ModuleMetadata, Type } from '@nestjs/common';
import { CommonConfig, ServiceConfig } from '@tessera/config';
import { ServiceName } from '@tessera/contracts';
import { Keyring, ServiceDefinition, ServiceKitModule } from '@tessera/runtime';
import { Constructor, ServiceDatabaseOptions } from './data-source';
import { PersistenceModule, withOutbox } from './persistence.module';

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
export function defineService(name: ServiceName, parts: ServiceParts): DatabaseServiceDefinition {
  const database = (config: CommonConfig): ServiceDatabaseOptions =>
    withOutbox({
      databaseUrl: config.databaseUrl,
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
