import {
  DynamicModule,
  Inject,
  Injectable,
  Module,
  OnApplicationShutdown,
  OnModuleInit,
} from '@nestjs/common';
import { CommonConfig, ServiceConfig, secretKeys } from '@tessera/config';
import { NatsNamespace, RpcClient, ServiceName } from '@tessera/contracts';
import { NatsConnection, connect } from 'nats';
import { CommandTokenSigner } from './command-token';
import { HealthIndicator, HealthRegistry, SECRET_KEY_IDS, SERVICE_NAME, healthControllerFor } from './health';
import { HealthServer } from './health-server';
import { secretKeyId } from './keyring';
import { Logger } from './logger';
import { NatsLogin, natsConnectionOptions } from './nats-options';
import { currentRequestId } from './request-context';
import { CONFIG, LOGGER, NATS_CONNECTION } from './tokens';

export interface ServiceKitOptions {
  service: ServiceName;
  /**
   * The root secret signs the command token of every call this process makes; a health port, when set, serves
   * the process's health over HTTP (the gateway has none: it serves health on its own HTTP port).
   */
  config: NatsLogin &
    Pick<CommonConfig, 'rpcTimeoutMs' | 'natsPrefix'> &
    Pick<ServiceConfig, 'secretKey' | 'secretKeyPrevious'> &
    Partial<Pick<ServiceConfig, 'healthPort'>>;
  logger: Logger;
}

/**
 * The shared NATS connection's health (a round trip to the server, so a connection that is reconnecting is down)
 * and its end: closed last, after modules that publish (the outbox relay) have stopped.
 */
@Injectable()
class NatsLifecycle implements HealthIndicator, OnModuleInit, OnApplicationShutdown {
  readonly name = 'nats';

  constructor(
    @Inject(NATS_CONNECTION) private readonly nc: NatsConnection,
    private readonly registry: HealthRegistry,
  ) {}

  onModuleInit(): void {
    this.registry.register(this);
  }

  async check(): Promise<void> {
    if (this.nc.isClosed()) throw new Error('the connection is closed');
    await this.nc.flush();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.nc.close();
  }
}

/**
 * What every Tessera process has: its configuration and logger, one NATS connection for calls and publishing,
 * the installation's names on it, the typed RPC client, and its health responder. Global, so domain modules inject these without importing it.
 */
@Module({})
export class ServiceKitModule {
  static forService({ service, config, logger }: ServiceKitOptions): DynamicModule {
    return {
      module: ServiceKitModule,
      global: true,
      controllers: [healthControllerFor(service)],
      providers: [
        { provide: SERVICE_NAME, useValue: service },
        { provide: SECRET_KEY_IDS, useValue: secretKeys(config).map(secretKeyId) },
        { provide: CONFIG, useValue: config },
        { provide: LOGGER, useValue: logger },
        {
          provide: NATS_CONNECTION,
          useFactory: () => connect(natsConnectionOptions(config, `tessera-${service}`)),
        },
        { provide: NatsNamespace, useValue: new NatsNamespace(config.natsPrefix) },
        {
          provide: RpcClient,
          useFactory: (nc: NatsConnection, namespace: NatsNamespace) =>
            new RpcClient(nc, {
              timeoutMs: config.rpcTimeoutMs,
              currentRequestId,
              signer: new CommandTokenSigner(secretKeys(config)),
              namespace,
            }),
          inject: [NATS_CONNECTION, NatsNamespace],
        },
        HealthRegistry,
        NatsLifecycle,
        HealthServer,
      ],
      exports: [SERVICE_NAME, CONFIG, LOGGER, NATS_CONNECTION, NatsNamespace, RpcClient, HealthRegistry],
    };
  }
}
