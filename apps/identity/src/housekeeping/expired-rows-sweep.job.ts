import { Inject, Injectable } from '@nestjs/common';
import { ServiceConfig } from '@tessera/config';
import { CONFIG, LOGGER, Logger, PeriodicJob } from '@tessera/runtime';
import { DataSource } from 'typeorm';

/** Rows per DELETE: short transactions, so a large backlog never holds locks for long. */
const BATCH = 1000;
/**
 * How long a device grant outlives its expiry: meanwhile a polling CLI hears `expired_token` (or `access_denied`)
 * rather than the `invalid_grant` of a grant that never was.
 */
const DEVICE_GRANT_GRACE = '1 hour';

/** What a sweep deleted, per table. */
export interface SweepResult {
  signinAttempts: number;
  deviceGrants: number;
}

/**
 * Deletes identity's short-lived rows once they can no longer be used: expired sign-in attempts (their `return_to`
 * may carry an invitation link, which must not outlive the attempt) and device grants past expiry and grace.
 * Every replica sweeps on its own timer; deleting by expiry is idempotent, so replicas need no coordination.
 */
@Injectable()
export class ExpiredRowsSweepJob extends PeriodicJob {
  constructor(
    private readonly dataSource: DataSource,
    @Inject(CONFIG) config: ServiceConfig,
    @Inject(LOGGER) logger: Logger,
  ) {
    super(logger, config.sweepIntervalSeconds * 1000, 'sweeping expired sign-in rows');
  }

  protected tick(): Promise<SweepResult> {
    return this.sweep();
  }

  /** One sweep of both tables, in batches. */
  async sweep(): Promise<SweepResult> {
    const result = {
      signinAttempts: await this.deleteAll(
        `DELETE FROM identity.signin_attempts WHERE state_hash IN (
           SELECT state_hash FROM identity.signin_attempts WHERE expires_at <= now() LIMIT ${BATCH})`,
      ),
      deviceGrants: await this.deleteAll(
        `DELETE FROM identity.device_grants WHERE id IN (
           SELECT id FROM identity.device_grants
            WHERE expires_at <= now() - interval '${DEVICE_GRANT_GRACE}' LIMIT ${BATCH})`,
      ),
    };
    if (result.signinAttempts + result.deviceGrants > 0)
      this.logger.info(result, 'swept expired sign-in rows');
    return result;
  }

  private async deleteAll(sql: string): Promise<number> {
    let total = 0;
    for (;;) {
      const [, deleted] = (await this.dataSource.query(sql)) as [unknown[], number];
      total += deleted;
      if (deleted < BATCH) return total;
    }
  }
}
