import { DynamicModule, INestMicroservice } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { CustomStrategy, MicroserviceOptions } from '@nestjs/microservices';
import { ServiceConfig, loadConfigOrExit, secretKeys, serviceVariables } from '@tessera/config';
import { NatsNamespace, ServiceName } from '@tessera/contracts';
import { Logger, NestPinoLogger, createLogger } from './logger';
import { CommandTokenVerifier } from './command-token';
import { CommandTokenGuard } from './command-token.guard';
import { NamespacedServerNats } from './namespaced-server-nats';
import { NatsLogin, natsConnectionOptions } from './nats-options';
import { RequestContextInterceptor } from './request-context.interceptor';
import { RpcErrorFilter } from './rpc-error.filter';

/**
 * The Nest NATS transport of a service: subjects answered under the installation's prefix, in a queue group named
 * after the service, so replicas share work.
 */
export function natsTransport(
  service: ServiceName,
  config: NatsLogin & Pick<ServiceConfig, 'natsPrefix'>,
): CustomStrategy {
  return {
    strategy: new NamespacedServerNats(
      { ...natsConnectionOptions(config, `tessera-${service}-server`), queue: service },
      new NatsNamespace(config.natsPrefix),
    ),
  };
}

export async function createServiceApp(
  service: ServiceName,
  module: DynamicModule,
  config: ServiceConfig,
  logger: Logger,
): Promise<INestMicroservice> {
  const app = await NestFactory.createMicroservice<MicroserviceOptions>(module, {
    ...natsTransport(service, config),
    logger: new NestPinoLogger(logger),
  });
  app.useGlobalFilters(new RpcErrorFilter(logger));
  // Guards run before pipes and interceptors: a call without a valid command token reaches nothing of the service.
  app.useGlobalGuards(new CommandTokenGuard(new CommandTokenVerifier(service, secretKeys(config)), logger));
  app.useGlobalInterceptors(new RequestContextInterceptor(logger));
  return app;
}

/** A service as its entry point and the tests start it. */
export interface ServiceDefinition {
  readonly name: ServiceName;
  moduleFor(config: ServiceConfig, logger: Logger): DynamicModule;
}

/**
 * Entry point of a NATS-only service: validated config, JSON logger, migrations (run by its persistence module
 * while the app is created), then listening. A failure to start is one log line and exit code 1.
 */
export async function runService({ name: service, moduleFor }: ServiceDefinition): Promise<void> {
  const config = loadConfigOrExit(serviceVariables);
  const logger = createLogger(service, config.logLevel);
  try {
    const app = await createServiceApp(service, moduleFor(config, logger), config, logger);
    app.enableShutdownHooks();
    await app.listen();
    logger.info({ queue: service }, `${service} is listening on NATS`);
  } catch (error) {
    logger.fatal(
      { err: error },
      `${service} could not start: ${error instanceof Error ? error.message : error}`,
    );
    process.exit(1);
  }
}
