import { Inject, Injectable, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { LOGGER, Logger, NATS_CONNECTION, ensureEventStream } from '@tessera/runtime';
import { EventEnvelope, NatsNamespace, REQUEST_ID_HEADER } from '@tessera/contracts';
import { TRACEPARENT_HEADER, outboxOldestUnpublishedSeconds, outboxUnpublished } from '@tessera/telemetry';
import { JSONCodec, NatsConnection, headers as natsHeaders } from 'nats';
import { DataSource, EntitySubscriberInterface, In, TransactionCommitEvent } from 'typeorm';
import { OUTBOX_WRITTEN } from './outbox.writer';
import { OutboxRecord } from './outbox-record.entity';

export const OUTBOX_POLL_MS = Symbol('OUTBOX_POLL_MS');

const BATCH_SIZE = 100;
const PUBLISH_TIMEOUT_MS = 2000;
const MAX_BACKOFF_MS = 5000;
const codec = JSONCodec<unknown>();

/**
 * Publishes outbox rows to JetStream in the order they were written, with `Nats-Msg-Id` = event id, and marks them
 * published once JetStream acknowledged them.
 *
 * Delivery is at least once from here and exactly once in the stream: a crash between the ack and the mark
 * re-publishes the row, and JetStream drops it within its duplicate window. Replicas share the work through
 * `FOR UPDATE SKIP LOCKED`. While NATS is unreachable rows simply wait, and the relay backs off.
 */
@Injectable()
export class OutboxRelay implements OnApplicationBootstrap, OnModuleDestroy {
  private running = false;
  private loop?: Promise<void>;
  private wake?: () => void;
  private woken = false;
  private streamReady = false;
  private readonly unsampled: Array<() => void> = [];

  constructor(
    private readonly dataSource: DataSource,
    @Inject(NATS_CONNECTION) private readonly nc: NatsConnection,
    @Inject(LOGGER) private readonly logger: Logger,
    @Inject(OUTBOX_POLL_MS) private readonly pollMs: number,
    private readonly namespace: NatsNamespace,
  ) {
    const subscriber: EntitySubscriberInterface = {
      afterTransactionCommit: (event: TransactionCommitEvent) => {
        if (event.queryRunner.data[OUTBOX_WRITTEN]) {
          delete event.queryRunner.data[OUTBOX_WRITTEN];
          this.kick();
        }
      },
    };
    dataSource.subscribers.push(subscriber);
  }

  onApplicationBootstrap(): void {
    this.running = true;
    this.loop = this.run();
    this.unsampled.push(
      outboxUnpublished.sample(async () => [[{}, (await this.backlog()).pending]]),
      outboxOldestUnpublishedSeconds.sample(async () => [[{}, (await this.backlog()).oldestAgeSeconds]]),
    );
  }

  async onModuleDestroy(): Promise<void> {
    for (const unsample of this.unsampled.splice(0)) unsample();
    this.running = false;
    this.kick();
    await this.loop;
  }

  /** Publish now rather than at the next poll (called after a transaction with events commits). */
  kick(): void {
    this.woken = true;
    this.wake?.();
  }

  /** Publishes everything pending; resolves with how many were published, rejects if NATS refused one. */
  async drain(): Promise<number> {
    let total = 0;
    for (;;) {
      const { published, failure } = await this.publishBatch();
      total += published;
      if (failure) throw failure;
      if (published < BATCH_SIZE) return total;
    }
  }

  private async run(): Promise<void> {
    let failures = 0;
    while (this.running) {
      try {
        await this.drain();
        if (failures > 0) this.logger.info({ failures }, 'outbox relay is publishing again');
        failures = 0;
      } catch (error) {
        if (failures === 0)
          this.logger.warn({ err: error }, 'outbox relay cannot publish; events wait in the outbox');
        failures += 1;
      }
      await this.sleep(failures > 0 ? Math.min(this.pollMs * 2 ** failures, MAX_BACKOFF_MS) : this.pollMs);
    }
  }

  /**
   * One transaction: lock up to a batch of pending rows, publish them in order, mark those acknowledged. A failed
   * publish ends the batch but still commits the marks of the rows before it, so they are not published again.
   */
  private publishBatch(): Promise<{ published: number; failure?: unknown }> {
    return this.dataSource.transaction(async (manager) => {
      const rows = await manager
        .createQueryBuilder(OutboxRecord, 'o')
        .where('o.published_at IS NULL')
        .orderBy('o.created_at')
        .addOrderBy('o.id')
        .limit(BATCH_SIZE)
        .setLock('pessimistic_write')
        .setOnLocked('skip_locked')
        .getMany();
      const acknowledged: string[] = [];
      let failure: unknown;
      try {
        if (rows.length > 0) await this.ensureStream();
        for (const row of rows) {
          await this.publish(row);
          acknowledged.push(row.id);
        }
      } catch (error) {
        this.streamReady = false;
        failure = error;
      }
      if (acknowledged.length > 0) {
        await manager.update(OutboxRecord, { id: In(acknowledged) }, { publishedAt: () => 'now()' });
      }
      return { published: acknowledged.length, failure };
    });
  }

  private async publish(row: OutboxRecord): Promise<void> {
    const headers = natsHeaders();
    const { requestId, traceparent } = row.envelope as Partial<EventEnvelope>;
    if (requestId) headers.set(REQUEST_ID_HEADER, requestId);
    if (traceparent) headers.set(TRACEPARENT_HEADER, traceparent);
    await this.nc.jetstream().publish(this.namespace.subject(row.subject), codec.encode(row.envelope), {
      msgID: row.id,
      headers,
      timeout: PUBLISH_TIMEOUT_MS,
    });
  }

  /**
   * What waits in the outbox, read at each scrape (the pending rows' partial index answers it). A backlog that
   * grows means JetStream refuses the relay's publishes (NATS down, the stream full).
   */
  private async backlog(): Promise<{ pending: number; oldestAgeSeconds: number }> {
    const row = await this.dataSource
      .getRepository(OutboxRecord)
      .createQueryBuilder('o')
      .select('count(*)::int', 'pending')
      .addSelect('coalesce(extract(epoch FROM now() - min(o.created_at)), 0)::float8', 'oldestAgeSeconds')
      .where('o.published_at IS NULL')
      .getRawOne<{ pending: number; oldestAgeSeconds: number }>();
    return row ?? { pending: 0, oldestAgeSeconds: 0 };
  }

  private async ensureStream(): Promise<void> {
    if (this.streamReady) return;
    await ensureEventStream(this.nc, this.namespace);
    this.streamReady = true;
  }

  private sleep(ms: number): Promise<void> {
    if (this.woken || !this.running) {
      this.woken = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const timer = setTimeout(() => this.wake?.(), ms);
      this.wake = () => {
        clearTimeout(timer);
        this.wake = undefined;
        this.woken = false;
        resolve();
      };
    });
  }
}
