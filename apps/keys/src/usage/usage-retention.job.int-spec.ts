import { TestingModule } from '@nestjs/testing';
import { LOGGER, createLogger } from '@tessera/runtime';
import { LogCapture, ServiceTestDatabase } from '@tessera/testing';
import { randomUUID } from 'node:crypto';
import { keysService } from '../keys.module';
import { UsageRetentionJob } from './usage-retention.job';

/** Medium spec: the usage sweep on a migrated keys schema, with the default 400 days of usage. */
describe('UsageRetentionJob', () => {
  let db: ServiceTestDatabase;
  let module: TestingModule;
  let job: UsageRetentionJob;
  const logs = new LogCapture();

  beforeAll(async () => {
    db = await ServiceTestDatabase.open(keysService);
    module = await db.module([
      { provide: LOGGER, useValue: createLogger('keys', 'info', logs) },
      UsageRetentionJob,
    ]);
    job = module.get(UsageRetentionJob);
  });

  afterAll(async () => {
    await module?.close();
    await db?.close();
  });

  /** One hourly count of `requests` for the account, `age` before the current hour. */
  const hour = (accountId: string, age: string, requests: number) =>
    db.query(
      `INSERT INTO keys.usage_hourly (account_id, hour, actor_type, actor_id, action, requests)
       VALUES ($1, date_trunc('hour', now()) - $2::interval, 'member', $3, 'models.call', $4)`,
      [accountId, age, randomUUID(), requests],
    );
  const batch = (age: string) =>
    db.query(`INSERT INTO keys.usage_batches (id, received_at) VALUES ($1, now() - $2::interval)`, [
      randomUUID(),
      age,
    ]);

  it('removes the 3 hourly counts older than 400 days and 2 batch ids older than a day; keeps 3 counts and 1 id', async () => {
    const team = randomUUID();
    const other = randomUUID();
    await hour(team, '401 days', 1);
    await hour(team, '500 days', 10);
    await hour(other, '3 years', 100);
    await hour(team, '399 days', 1000);
    await hour(team, '1 hour', 10_000);
    await hour(other, '0 hours', 100_000);
    await batch('25 hours');
    await batch('2 days');
    await batch('1 hour');

    expect(await job.sweep()).toEqual({ usageHours: 3, usageBatches: 2 });

    const kept = await db.query<{ requests: string }>(
      `SELECT requests FROM keys.usage_hourly ORDER BY requests`,
    );
    expect(kept.map((row) => Number(row.requests))).toEqual([1000, 10_000, 100_000]);
    expect(await db.query(`SELECT 1 FROM keys.usage_batches`)).toHaveLength(1);
    expect(logs.lines).toContainEqual(
      expect.objectContaining({ sweep: 'keys.usage-retention', removed: { usageHours: 3, usageBatches: 2 } }),
    );
  });
});
