import { ModuleMetadata, Type } from '@nestjs/common';
import { CommonConfig } from '@tessera/config';
import { ServiceName } from '@tessera/contracts';
import { ServiceDefinition, ServiceKitModule } from '@tessera/runtime';
import { Constructor, ServiceDatabaseOptions } from './data-source';
import { PersistenceModule, withOutbox } from './persistence.module';

export interface ServiceParts {
  /** The service's root module class; its own controllers and providers go in `imports`/`providers` here. */
  module: Type<unknown>;
  entities?: Constructor[];
  migrations?: Constructor[];
  imports?: ModuleMetadata['imports'];
  controllers?: ModuleMetadata['controllers'];
  providers?: ModuleMetadata['providers'];
}

export interface DatabaseServiceDefinition extends ServiceDefinition {
  /** The service's schema (named after it), entities and migrations, for `npm run migrate` as for the service. */
  database(config: CommonConfig): ServiceDatabaseOptions;
}

/** Joins what every service has (kit, schema named after the service, outbox) with what this one adds. */
export function defineService(
  name: ServiceName,
  partsFor: ServiceParts | ((config: CommonConfig) => ServiceParts),
): DatabaseServiceDefinition {
  const partsOf = (config: CommonConfig): ServiceParts =>
    typeof partsFor === 'function' ? partsFor(config) : partsFor;
  const database = (config: CommonConfig): ServiceDatabaseOptions => {
    const parts = partsOf(config);
    return withOutbox({
      databaseUrl: config.databaseUrl,
      schema: name,
      entities: parts.entities ?? [],
      migrations: parts.migrations ?? [],
    });
  };
  return {
    name,
    database,
    moduleFor: (config, logger) => {
      const parts = partsOf(config);
      return {
        module: parts.module,
        imports: [
          ServiceKitModule.forService({ service: name, config, logger }),
          PersistenceModule.forService(database(config), config.outboxPollMs),
          ...(parts.imports ?? []),
        ],
        controllers: parts.controllers,
        providers: parts.providers,
      };
    },
  };
}
