import { Inject, Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { ServiceConfig } from '@tessera/config';
import { CONFIG, LOGGER, Logger } from '@tessera/runtime';
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
export class ExpiredRowsSweepJob implements OnApplicationBootstrap, OnApplicationShutdown {
  private timer?: NodeJS.Timeout;
  private sweeping?: Promise<SweepResult>;

  constructor(
    private readonly dataSource: DataSource,
    @Inject(CONFIG) private readonly config: ServiceConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => {
      this.sweep().catch((error: unknown) =>
        this.logger.warn(
          { err: error },
          'sweeping expired sign-in rows failed; retrying at the next interval',
        ),
      );
    }, this.config.sweepIntervalSeconds * 1000);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.sweeping?.catch(() => undefined);
  }

  /** One sweep of both tables, in batches; one at a time per process. */
  sweep(): Promise<SweepResult> {
    this.sweeping ??= this.run().finally(() => (this.sweeping = undefined));
    return this.sweeping;
  }

  private async run(): Promise<SweepResult> {
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
