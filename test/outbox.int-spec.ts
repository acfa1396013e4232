import { Injectable, INestMicroservice, Module } from '@nestjs/common';
import { EVENTS_STREAM, REQUEST_ID_HEADER } from '@tessera/contracts';
import { OutboxRecord, OutboxRelay, OutboxWriter, defineService } from '@tessera/persistence';
import { createLogger, createServiceApp, requestContext } from '@tessera/runtime';
import { TestEnvironment, eventually } from '@tessera/testing';
import { JSONCodec, NatsConnection, connect } from 'nats';
import { DataSource, IsNull } from 'typeorm';

declare module '@tessera/contracts' {
  interface EventContract {
    'tessera.events.teams.probe.recorded': { n: number };
  }
}

/** Writes events the way domain code will: in a transaction, beside the change they describe. */
@Injectable()
class ProbeRecorder {
  constructor(
    private readonly dataSource: DataSource,
    private readonly outbox: OutboxWriter,
  ) {}

  record(values: number[], options: { rollback?: boolean } = {}): Promise<string[]> {
    return this.dataSource.transaction(async (manager) => {
      const ids: string[] = [];
      for (const n of values)
        ids.push((await this.outbox.add(manager, 'tessera.events.teams.probe.recorded', { n })).id);
      if (options.rollback) throw new Error('rolled back on purpose');
      return ids;
    });
  }
}

@Module({})
class ProbeModule {}

const probeService = defineService('teams', { module: ProbeModule, providers: [ProbeRecorder] });
const codec = JSONCodec<{ id: string; type: string; data: { n: number }; requestId?: string }>();

describe('transactional outbox and its relay to JetStream', () => {
  let environment: TestEnvironment;
  let app: INestMicroservice;
  let nc: NatsConnection;

  async function startReplica(): Promise<INestMicroservice> {
    const config = environment.config();
    const logger = createLogger('teams', 'silent');
    const replica = await createServiceApp('teams', probeService.moduleFor(config, logger), config, logger);
    await replica.listen();
    return replica;
  }

  const recorder = () => app.get(ProbeRecorder);
  const pending = () => app.get(DataSource).getRepository(OutboxRecord).countBy({ publishedAt: IsNull() });

  async function streamedEvents(): Promise<{ id: string; n: number; msgId?: string; requestId?: string }[]> {
    const jsm = await nc.jetstreamManager();
    const { state } = await jsm.streams.info(EVENTS_STREAM);
    const events = [];
    for (let seq = state.first_seq; seq <= state.last_seq && state.messages > 0; seq++) {
      const message = await jsm.streams.getMessage(EVENTS_STREAM, { seq });
      const envelope = codec.decode(message.data);
      events.push({
        id: envelope.id,
        n: envelope.data.n,
        msgId: message.header.get('Nats-Msg-Id'),
        requestId: message.header.get(REQUEST_ID_HEADER) || undefined,
      });
    }
    return events;
  }

  async function allPublished(): Promise<void> {
    await eventually(async () => expect(await pending()).toBe(0));
  }

  beforeAll(async () => {
    environment = await TestEnvironment.start();
    app = await startReplica();
    nc = await connect({ servers: environment.nats.url, maxReconnectAttempts: -1, reconnectTimeWait: 100 });
  });

  afterAll(async () => {
    await nc?.close();
    await app?.close();
    await environment?.stop();
  });

  it('publishes each committed event once, in order, with Nats-Msg-Id = event id and the request id', async () => {
    const ids = await requestContext.run({ requestId: 'outbox-test-0001' }, async () => [
      ...(await recorder().record([1, 2, 3])),
      ...(await recorder().record([4, 5])),
    ]);
    await allPublished();
    const events = await streamedEvents();
    expect(events.map((e) => e.id)).toEqual(ids);
    expect(events.map((e) => e.n)).toEqual([1, 2, 3, 4, 5]);
    for (const event of events) {
      expect(event.msgId).toBe(event.id);
      expect(event.requestId).toBe('outbox-test-0001');
    }
  });

  it('never publishes the events of a rolled-back transaction', async () => {
    const before = (await streamedEvents()).length;
    await expect(recorder().record([99], { rollback: true })).rejects.toThrow('rolled back on purpose');
    await recorder().record([6]);
    await allPublished();
    const events = await streamedEvents();
    expect(events).toHaveLength(before + 1);
    expect(events.map((e) => e.n)).not.toContain(99);
  });

  it('keeps events while NATS is unreachable and delivers each of them once when it returns', async () => {
    const before = (await streamedEvents()).length;
    await environment.nats.stop();
    const ids = await recorder().record([10, 11, 12, 13, 14, 15, 16, 17, 18, 19]);
    await new Promise((done) => setTimeout(done, 1500)); // the relay tries, fails and backs off meanwhile
    expect(await pending()).toBe(10);

    await environment.nats.resume();
    await eventually(async () => expect(await pending()).toBe(0), 20_000);
    const events = await streamedEvents();
    expect(events).toHaveLength(before + 10);
    expect(events.slice(before).map((e) => e.id)).toEqual(ids);
    expect(new Set(events.map((e) => e.id)).size).toBe(events.length);
  });

  it('lets JetStream drop a re-publish after a crash between publish and mark', async () => {
    const before = await streamedEvents();
    const [id] = await recorder().record([20]);
    await allPublished();
    // As if the relay died after JetStream's ack but before its commit: the row is pending again.
    await app.get(DataSource).getRepository(OutboxRecord).update({ id }, { publishedAt: null });
    app.get(OutboxRelay).kick();
    await allPublished();
    const after = await streamedEvents();
    expect(after).toHaveLength(before.length + 1);
    expect(after.filter((e) => e.id === id)).toHaveLength(1);
  });

  it('shares the work between replicas without publishing a row twice', async () => {
    const replica = await startReplica();
    try {
      const before = (await streamedEvents()).length;
      const batches = await Promise.all(
        Array.from({ length: 10 }, (_, b) =>
          recorder().record(Array.from({ length: 5 }, (_, i) => 100 + b * 5 + i)),
        ),
      );
      await allPublished();
      const events = (await streamedEvents()).slice(before);
      expect(events).toHaveLength(50);
      expect(new Set(events.map((e) => e.id))).toEqual(new Set(batches.flat()));
    } finally {
      await replica.close();
    }
  });
});
