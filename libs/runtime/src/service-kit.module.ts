import { DynamicModule, Inject, Injectable, Module, OnApplicationShutdown } from '@nestjs/common';
import { CommonConfig, ServiceConfig, secretKeys } from '@tessera/config';
import { NatsNamespace, RpcClient, ServiceName } from '@tessera/contracts';
import { NatsConnection, connect } from 'nats';
import { CommandTokenSigner } from './command-token';
import { HealthRegistry, SECRET_KEY_IDS, SERVICE_NAME, healthControllerFor } from './health';
import { secretKeyId } from './keyring';
import { Logger } from './logger';
import { natsConnectionOptions } from './nats-options';
import { currentRequestId } from './request-context';
import { CONFIG, LOGGER, NATS_CONNECTION } from './tokens';

export interface ServiceKitOptions {
  service: ServiceName;
  /** The root secret signs the command token of every call this process makes. */
  config: CommonConfig & Pick<ServiceConfig, 'secretKey' | 'secretKeyPrevious'>;
  logger: Logger;
}

/** Closes the shared NATS connection last, after modules that publish (the outbox relay) have stopped. */
@Injectable()
class NatsConnectionCloser implements OnApplicationShutdown {
  constructor(@Inject(NATS_CONNECTION) private readonly nc: NatsConnection) {}

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
        NatsConnectionCloser,
      ],
      exports: [SERVICE_NAME, CONFIG, LOGGER, NATS_CONNECTION, NatsNamespace, RpcClient, HealthRegistry],
    };
  }
}
