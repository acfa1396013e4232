import { OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { Logger } from './logger';

/**
 * Work a process does on a timer (sweeps, re-checks). One pass at a time: a tick that finds the last pass still
 * running skips. A failed pass is logged and the next tick tries again. The timer never keeps the process alive,
 * and shutdown waits for the pass in progress.
 */
export abstract class PeriodicJob implements OnApplicationBootstrap, OnApplicationShutdown {
  private timer?: NodeJS.Timeout;
  private inProgress?: Promise<void>;

  protected constructor(
    protected readonly logger: Logger,
    private readonly intervalMs: number,
    /** What the job does, for the log: "sweeping identity.expired-rows". */
    private readonly doing: string,
  ) {}

  /** One pass. */
  protected abstract tick(): Promise<unknown>;

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => {
      this.inProgress ??= this.tick()
        .then(
          () => undefined,
          (error: unknown) =>
            this.logger.warn({ err: error }, `${this.doing} failed; trying again at the next interval`),
        )
        .finally(() => (this.inProgress = undefined));
    }, this.intervalMs);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.inProgress;
  }
}
