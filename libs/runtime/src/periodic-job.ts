import { BeforeApplicationShutdown, OnApplicationBootstrap } from '@nestjs/common';
import { Logger } from './logger';

/**
 * Work a process does on a timer (sweeps, re-checks). One pass at a time: a tick that finds the last pass still
 * running skips. A failed pass is logged and the next tick tries again. The timer never keeps the process alive.
 * Shutdown waits for the pass in progress before connections close; a long pass checks `stopping` between steps
 * and ends early, so it fits in a container's grace period.
 */
export abstract class PeriodicJob implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private timer?: NodeJS.Timeout;
  private inProgress?: Promise<void>;
  /** Set once the process is shutting down: a pass stops at its next step and the rest waits for the next run. */
  protected stopping = false;

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

  async beforeApplicationShutdown(): Promise<void> {
    this.stopping = true;
    clearInterval(this.timer);
    await this.inProgress;
  }
}
