import { ServiceConfig } from '@tessera/config';
import { Logger, PeriodicJob } from '@tessera/runtime';
import { DataSource, QueryRunner } from 'typeorm';

/** Rows of one table that are past keeping. */
export interface RetentionRule {
  /** The name the sweep reports the rule's count under: `outbox`, `samlRequests`. */
  name: string;
  /** Schema-qualified table. */
  table: string;
  /** Which rows go: a condition on `table`'s columns, unqualified. */
  where: string;
  /** Values of `$1`, `$2`… in `where`. */
  parameters?: unknown[];
}

/** How many rows each rule deleted; `skipped` when another replica was sweeping. */
export type SweepResult<R extends string = string> = { [rule in R]: number } | 'skipped';

type RetentionConfig = Pick<ServiceConfig, 'sweepIntervalSeconds' | 'sweepBatchSize'>;

/**
 * Deletes rows past keeping, rule by rule, on a timer. Each batch is one statement in its own transaction that
 * takes at most `TESSERA_SWEEP_BATCH_SIZE` rows and skips rows someone else holds, so a sweep never blocks a
 * request and a backlog never holds long locks. Replicas take turns through a PostgreSQL advisory lock named after
 * the sweep: a replica that finds it held skips its pass, so one pass runs at a time however many replicas run.
 */
export abstract class RetentionSweepJob<R extends string = string> extends PeriodicJob {
  private readonly batchSize: number;

  protected constructor(
    private readonly dataSource: DataSource,
    config: RetentionConfig,
    logger: Logger,
    /** Unique per sweep across the database: `identity.expired-rows`. */
    private readonly lockName: string,
  ) {
    super(logger, config.sweepIntervalSeconds * 1000, `sweeping ${lockName}`);
    this.batchSize = config.sweepBatchSize;
  }

  /** What this sweep deletes, with ages computed at the time of the pass. */
  protected abstract rules(): (RetentionRule & { name: R })[];

  protected tick(): Promise<SweepResult<R>> {
    return this.sweep();
  }

  /** One pass over every rule, unless another replica holds the sweep's lock. */
  async sweep(): Promise<SweepResult<R>> {
    const runner = this.dataSource.createQueryRunner();
    await runner.connect();
    try {
      if (!(await this.tryLock(runner))) {
        this.logger.debug({ sweep: this.lockName }, 'another replica is sweeping; skipped');
        return 'skipped';
      }
      try {
        const removed = {} as { [rule in R]: number };
        for (const rule of this.rules()) removed[rule.name] = await this.deleteAll(runner, rule);
        const total = Object.values<number>(removed).reduce((sum, count) => sum + count, 0);
        this.logger[total > 0 ? 'info' : 'debug']({ sweep: this.lockName, removed }, 'retention sweep done');
        return removed;
      } finally {
        await runner.query('SELECT pg_advisory_unlock(hashtext($1))', [this.lockName]);
      }
    } finally {
      await runner.release();
    }
  }

  private async tryLock(runner: QueryRunner): Promise<boolean> {
    const [row] = (await runner.query('SELECT pg_try_advisory_lock(hashtext($1)) AS locked', [
      this.lockName,
    ])) as { locked: boolean }[];
    return row.locked;
  }

  /** Batch after batch until one comes back short. `ctid = ANY (ARRAY(…))` is a TID scan: no second lookup. */
  private async deleteAll(
    runner: QueryRunner,
    { table, where, parameters = [] }: RetentionRule,
  ): Promise<number> {
    const sql = `DELETE FROM ${table} WHERE ctid = ANY (ARRAY(
                   SELECT ctid FROM ${table} WHERE ${where} LIMIT ${this.batchSize} FOR UPDATE SKIP LOCKED))`;
    let total = 0;
    for (;;) {
      const [, deleted] = (await runner.query(sql, parameters)) as [unknown[], number];
      total += deleted;
      // A backlog (the first pass after an upgrade) takes many batches: shutdown does not wait for all of them.
      if (deleted < this.batchSize || this.stopping) return total;
    }
  }
}
