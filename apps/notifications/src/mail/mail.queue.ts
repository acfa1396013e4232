import { Inject, Injectable, OnApplicationShutdown } from '@nestjs/common';
import { ServiceConfig } from '@tessera/config';
import { CONFIG, LOGGER, Logger, withTimeout } from '@tessera/runtime';
import { mailQueueJobs } from '@tessera/telemetry';
import { Queue } from 'bullmq';
import {
  KEEP_COMPLETED_SECONDS,
  MAIL_QUEUE,
  MailJobData,
  mailQueueConnection,
  mailQueuePrefix,
} from './mail-job';

/** An `add` that Redis does not confirm by then fails, so the event is redelivered later instead of stuck. */
const ADD_TIMEOUT_MS = 5000;
const ERROR_LOG_INTERVAL_MS = 30_000;
/** The states a queue's depth is reported in; completed jobs are kept a while only to deduplicate. */
const REPORTED_STATES = ['waiting', 'delayed', 'active', 'failed'] as const;

/**
 * Puts e-mails on the `tessera-mail` queue. The job id is the event id: BullMQ ignores an add whose id it already
 * holds (waiting, delayed, active, completed or failed), so an event delivered twice queues one e-mail.
 */
@Injectable()
export class MailQueue implements OnApplicationShutdown {
  readonly queue: Queue<MailJobData>;
  private lastErrorLog = 0;
  private readonly unsample: () => void;

  constructor(
    @Inject(CONFIG) private readonly config: ServiceConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {
    this.queue = new Queue<MailJobData>(MAIL_QUEUE, {
      connection: mailQueueConnection(config.redisUrl, 'tessera-notifications-queue'),
      prefix: mailQueuePrefix(config.redisPrefix),
    });
    this.queue.on('error', (error) => this.logError(error));
    this.unsample = mailQueueJobs.sample(async () => {
      const counts = await withTimeout(this.queue.getJobCounts(...REPORTED_STATES), ADD_TIMEOUT_MS);
      return REPORTED_STATES.map((state) => [{ state }, counts[state] ?? 0]);
    });
  }

  /** Resolves once Redis holds the job (or already held it); rejects if Redis did not confirm in time. */
  async enqueue(data: MailJobData): Promise<void> {
    await withTimeout(
      this.queue.add(data.kind, data, {
        jobId: data.eventId,
        attempts: this.config.mailAttempts,
        backoff: { type: 'exponential', delay: this.config.mailBackoffMs },
        removeOnComplete: { age: KEEP_COMPLETED_SECONDS },
        removeOnFail: false,
      }),
      ADD_TIMEOUT_MS,
    );
  }

  async onApplicationShutdown(): Promise<void> {
    this.unsample();
    await this.queue.close();
  }

  private logError(error: Error): void {
    if (Date.now() - this.lastErrorLog < ERROR_LOG_INTERVAL_MS) return;
    this.lastErrorLog = Date.now();
    this.logger.warn({ err: error }, 'e-mail queue cannot reach Redis; events wait in JetStream');
  }
}
