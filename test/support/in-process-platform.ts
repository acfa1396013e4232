import { INestApplication, INestMicroservice, Type } from '@nestjs/common';
import { GatewayConfig, PlatformConfig } from '@tessera/config';
import { ServiceName } from '@tessera/contracts';
import { Client } from 'pg';
import { ServiceDefinition, createLogger, createServiceApp } from '@tessera/runtime';
import { LogCapture, TestEnvironment, freePort } from '@tessera/testing';
import { createGatewayApp } from '../../apps/gateway/src/gateway-app';
import { databaseServices } from '../../tools/service-definitions';

type BackendName = Exclude<ServiceName, 'gateway'>;

/**
 * The whole of Tessera inside the test process — the gateway (HTTP not bound to a port: drive it with supertest)
 * and every service — on a test environment's real PostgreSQL, NATS and Redis. Services can be stopped and started
 * again to play outages. Every process logs at debug level into `logs`.
 */
export class InProcessPlatform {
  private readonly services = new Map<BackendName, INestMicroservice>();
  private readonly definitions = new Map<BackendName, ServiceDefinition>(
    databaseServices.map((definition) => [definition.name as BackendName, definition]),
  );

  private readonly extraGateways: INestApplication[] = [];

  private constructor(
    readonly config: PlatformConfig,
    /** Each process's configuration: the same but for its NATS login. */
    private readonly configOf: (name: ServiceName) => PlatformConfig,
    readonly gateway: INestApplication,
    readonly logs: LogCapture,
  ) {}

  static async start(
    environment: TestEnvironment,
    overrides: Record<string, string> = {},
  ): Promise<InProcessPlatform> {
    const configOf = (name: ServiceName) =>
      environment.config({ TESSERA_LOG_LEVEL: 'debug', ...overrides, ...environment.natsLogin(name) });
    const config = configOf('gateway');
    const logs = new LogCapture();
    const gateway = await createGatewayApp(config, createLogger('gateway', config.logLevel, logs));
    await gateway.startAllMicroservices();
    await gateway.init();
    const platform = new InProcessPlatform(config, configOf, gateway, logs);
    await Promise.all([...platform.definitions.keys()].map((name) => platform.startService(name)));
    return platform;
  }

  get http(): ReturnType<INestApplication['getHttpServer']> {
    return this.gateway.getHttpServer();
  }

  /**
   * Binds the gateway to a loopback port (a free one unless given: a browser test names the port of its
   * TESSERA_PUBLIC_URL), for clients that need an address; answers its URL.
   */
  async listen(port?: number): Promise<string> {
    port ??= await freePort();
    await this.gateway.listen(port, '127.0.0.1');
    return `http://127.0.0.1:${port}`;
  }

  async startService(name: BackendName): Promise<void> {
    const definition = this.definitions.get(name)!;
    const config = this.configOf(name);
    const logger = createLogger(name, config.logLevel, this.logs);
    const app = await createServiceApp(name, definition.moduleFor(config, logger), config, logger);
    await app.listen();
    this.services.set(name, app);
  }

  /**
   * Another gateway instance on the same platform (as a deployment scales out), optionally configured apart: its
   * HTTP server for supertest.
   */
  async addGateway(
    overrides: Partial<GatewayConfig> = {},
  ): Promise<ReturnType<INestApplication['getHttpServer']>> {
    const gateway = await createGatewayApp(
      { ...this.config, ...overrides },
      createLogger('gateway', this.config.logLevel, this.logs),
    );
    await gateway.startAllMicroservices();
    await gateway.init();
    this.extraGateways.push(gateway);
    return gateway.getHttpServer();
  }

  /** A running service's provider, for tests that run a periodic job (a sweep) now rather than wait for its timer. */
  provider<T>(name: BackendName, type: Type<T>): T {
    const service = this.services.get(name);
    if (!service) throw new Error(`${name} is not running`);
    return service.get(type, { strict: false });
  }

  async stopService(name: BackendName): Promise<void> {
    await this.services.get(name)?.close();
    this.services.delete(name);
  }

  /** Runs SQL on the platform's database, to set up what a test cannot wait for (expiry, elapsed intervals). */
  async query(sql: string, params: unknown[] = []): Promise<unknown[]> {
    const client = new Client({ connectionString: this.config.databaseUrl });
    await client.connect();
    try {
      return (await client.query(sql, params)).rows;
    } finally {
      await client.end();
    }
  }

  async stop(): Promise<void> {
    await Promise.all([...this.services.keys()].map((name) => this.stopService(name)));
    await Promise.all([this.gateway, ...this.extraGateways].map((gateway) => gateway.close()));
  }
}
