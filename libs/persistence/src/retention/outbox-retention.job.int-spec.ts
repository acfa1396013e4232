import { Module } from '@nestjs/common';
import { TestingModule } from '@nestjs/testing';
import { LOGGER, createLogger } from '@tessera/runtime';
import { LogCapture, ServiceTestDatabase } from '@tessera/testing';
import { v7 as uuidv7 } from 'uuid';
import { defineService } from '../service-definition';
import { OUTBOX_SCHEMA, OutboxRetentionJob } from './outbox-retention.job';

@Module({})
class NoTablesModule {}

/** Medium spec: the outbox sweep on a migrated service schema (the outbox alone), in batches of 10. */
describe('OutboxRetentionJob', () => {
  let db: ServiceTestDatabase;
  let module: TestingModule;
  let job: OutboxRetentionJob;
  const logs = new LogCapture();

  beforeAll(async () => {
    db = await ServiceTestDatabase.open(defineService('teams', { module: NoTablesModule }), {
      TESSERA_SWEEP_BATCH_SIZE: '10',
    });
    module = await db.module([
      { provide: LOGGER, useValue: createLogger('teams', 'info', logs) },
      { provide: OUTBOX_SCHEMA, useValue: 'teams' },
      OutboxRetentionJob,
    ]);
    job = module.get(OutboxRetentionJob);
  });

  afterAll(async () => {
    await module?.close();
    await db?.close();
  });

  /** `count` rows written `age` ago, published `published` ago (null: still waiting for the relay). */
  const events = async (count: number, label: string, age: string, published: string | null) => {
    for (let i = 0; i < count; i++)
      await db.query(
        `INSERT INTO teams.outbox (id, subject, envelope, created_at, published_at)
         VALUES ($1, $2, '{}', now() - $3::interval, now() - $4::interval)`,
        [uuidv7(), label, age, published],
      );
  };
  const left = () =>
    db.query<{ subject: string; count: number }>(
      `SELECT subject, count(*)::int AS count FROM teams.outbox GROUP BY subject ORDER BY subject`,
    );

  it('removes the 25 events published over 7 days ago (more than two batches); keeps 3 newer and 2 unpublished', async () => {
    await events(25, 'published-8-days-ago', '8 days', '8 days');
    await events(3, 'published-6-days-ago', '9 days', '6 days'); // written long ago, published late: kept
    await events(2, 'unpublished-30-days-old', '30 days', null); // never published: the relay still owes it

    expect(await job.sweep()).toEqual({ outbox: 25 });

    expect(await left()).toEqual([
      { subject: 'published-6-days-ago', count: 3 },
      { subject: 'unpublished-30-days-old', count: 2 },
    ]);
    expect(logs.lines).toContainEqual(
      expect.objectContaining({ sweep: 'teams.outbox-retention', removed: { outbox: 25 } }),
    );
  });

  it('passes over a row another transaction holds rather than waiting: removes 4 of 5, the held one stays', async () => {
    await events(5, 'held-8-days-ago', '8 days', '8 days');
    const holder = db.dataSource.createQueryRunner();
    await holder.connect();
    await holder.startTransaction();
    try {
      await holder.query(
        `SELECT id FROM teams.outbox WHERE subject = 'held-8-days-ago' ORDER BY id LIMIT 1 FOR UPDATE`,
      );
      expect(await job.sweep()).toEqual({ outbox: 4 });
      expect(await left()).toContainEqual({ subject: 'held-8-days-ago', count: 1 });
    } finally {
      await holder.rollbackTransaction();
      await holder.release();
    }
    expect(await job.sweep()).toEqual({ outbox: 1 });
  });

  it('stops after the batch in hand once shutdown begins: removes 10 of 25, the next run takes the rest', async () => {
    await events(25, 'backlog-8-days-ago', '8 days', '8 days');
    await job.beforeApplicationShutdown();

    expect(await job.sweep()).toEqual({ outbox: 10 });
    expect(await left()).toContainEqual({ subject: 'backlog-8-days-ago', count: 15 });
  });
});
