import { randomBytes } from 'node:crypto';
import { ServiceConfig, loadConfig, serviceVariables } from '@tessera/config';
import { RpcClient, RpcReply, RpcRequest, RpcSubject } from '@tessera/contracts';
import { DatabaseServiceDefinition, OutboxWriter, openServiceDataSource } from '@tessera/persistence';
import { Provider } from '@nestjs/common';
import { Test, TestingModule } from '@nestjs/testing';
import { CONFIG } from '@tessera/runtime';
import { DataSource, EntityManager } from 'typeorm';
import { TestDatabase } from './test-database';

/**
 * One service's schema with every migration applied, in a database of the test's own, logged in as the service's
 * role as the service is: what a medium spec runs a service and its real repositories on — no NATS, Redis or HTTP
 * in between.
 */
export class ServiceTestDatabase {
  private constructor(
    private readonly database: TestDatabase,
    readonly dataSource: DataSource,
    /** The service's configuration as a process would read it, pointed at this database. */
    readonly config: ServiceConfig,
  ) {}

  static async open(
    service: DatabaseServiceDefinition,
    environment: Record<string, string> = {},
  ): Promise<ServiceTestDatabase> {
    const database = await TestDatabase.create();
    try {
      const config = loadConfig(serviceVariables, {
        TESSERA_DATABASE_URL: database.url,
        TESSERA_SECRET_KEY: randomBytes(32).toString('base64url'),
        ...environment,
      });
      const dataSource = await openServiceDataSource(service.database(config));
      return new ServiceTestDatabase(database, dataSource, config);
    } catch (error) {
      await database.drop();
      throw error;
    }
  }

  /**
   * The given providers wired by Nest as the service wires them, on this database (its data source, entity
   * manager and outbox) and configuration; stand-ins for the far edges come as `{ provide, useValue }`.
   */
  async module(providers: Provider[]): Promise<TestingModule> {
    const module = await Test.createTestingModule({
      providers: [
        { provide: DataSource, useValue: this.dataSource },
        { provide: EntityManager, useValue: this.dataSource.manager },
        { provide: CONFIG, useValue: this.config },
        OutboxWriter,
        ...providers,
      ],
    }).compile();
    await module.init();
    return module;
  }

  /** Rows of a raw query as the service's role, for asserting what a rule left in the tables. */
  query<T = Record<string, unknown>>(sql: string, parameters: unknown[] = []): Promise<T[]> {
    return this.dataSource.query(sql, parameters);
  }

  async close(): Promise<void> {
    await this.dataSource.destroy();
    await this.database.drop();
  }
}

type RpcAnswers = { [S in RpcSubject]?: (request: RpcRequest<S>) => RpcReply<S> | Promise<RpcReply<S>> };

/**
 * Answers, in process, the few requests a service under test sends to other services; any other subject fails
 * the test. `calls` records what was asked.
 */
export class RpcStandIn {
  readonly calls: { subject: RpcSubject; request: unknown }[] = [];

  constructor(private readonly answers: RpcAnswers) {}

  /** Typed as the client the service injects, since it only ever calls `request`. */
  get client(): RpcClient {
    return this as unknown as RpcClient;
  }

  async request<S extends RpcSubject>(subject: S, request: RpcRequest<S>): Promise<RpcReply<S>> {
    this.calls.push({ subject, request });
    const answer = this.answers[subject] as ((request: RpcRequest<S>) => Promise<RpcReply<S>>) | undefined;
    if (!answer) throw new Error(`no stand-in answer for ${subject}`);
    return answer(request);
  }
}
