import { Inject, Injectable, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { ServiceConfig } from '@tessera/config';
import { CONFIG, LOGGER, Logger, requestContext } from '@tessera/runtime';
import { mailSendFailures, mailSent, startJobHandling } from '@tessera/telemetry';
import { Job, UnrecoverableError, Worker } from 'bullmq';
import { MAIL_DRIVER, MailDriver, PermanentMailError } from './drivers/mail-driver';
import { MailComposer } from './mail-composer.service';
import { MAIL_QUEUE, MailJobData, describeRecipient, mailQueueConnection, mailQueuePrefix } from './mail-job';

const CONCURRENCY = 5;
const ERROR_LOG_INTERVAL_MS = 30_000;

/**
 * The BullMQ worker of `tessera-mail`: composes each e-mail and hands it to the mail driver. A failed attempt is
 * retried with exponential backoff (`TESSERA_MAIL_ATTEMPTS`, `TESSERA_MAIL_BACKOFF_MS`); a job out of attempts,
 * or failed for a reason no retry can fix, is kept as failed for `npm run notifications:failed`.
 *
 * Logs name the event, recipient and subject — never the body, which holds invitation links.
 */
@Injectable()
export class MailSenderJob implements OnApplicationBootstrap, OnModuleDestroy {
  private worker?: Worker<MailJobData, string>;
  private lastErrorLog = 0;

  constructor(
    private readonly composer: MailComposer,
    @Inject(MAIL_DRIVER) private readonly driver: MailDriver,
    @Inject(CONFIG) private readonly config: ServiceConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  onApplicationBootstrap(): void {
    const worker = new Worker<MailJobData, string>(MAIL_QUEUE, (job) => this.process(job), {
      connection: mailQueueConnection(this.config.redisUrl, 'tessera-notifications-worker'),
      prefix: mailQueuePrefix(this.config.redisPrefix),
      concurrency: CONCURRENCY,
    });
    worker.on('failed', (job, error) => job && this.failed(job, error));
    worker.on('error', (error) => this.logError(error));
    this.worker = worker;
  }

  /** Lets the e-mails being sent finish (a stopped job would be sent again by the next worker), then closes. */
  async onModuleDestroy(): Promise<void> {
    await this.worker?.close();
    await this.driver.close();
  }

  private process(job: Job<MailJobData, string>): Promise<string> {
    const { requestId, traceparent } = job.data;
    const handling = startJobHandling(`send ${job.data.kind} e-mail`, traceparent);
    const send = () =>
      handling.run(async () => {
        try {
          const outcome = await this.send(job);
          handling.end('ok');
          return outcome;
        } catch (error) {
          handling.end(error instanceof UnrecoverableError ? 'unrecoverable' : 'failed');
          throw error;
        }
      });
    return requestId ? requestContext.run({ requestId }, send) : send();
  }

  private async send(job: Job<MailJobData, string>): Promise<string> {
    const { eventId, eventType, subject } = job.data;
    const attempt = job.attemptsMade + 1;
    let composed;
    try {
      composed = await this.composer.compose(job.data);
      if ('skipped' in composed) {
        this.logger.info({ eventId, eventType, subject, reason: composed.skipped }, 'e-mail not sent');
        return `skipped: ${composed.skipped}`;
      }
      if (job.data.to.userId && job.data.to.email !== composed.mail.to) {
        // Remember the address looked up, so a failed job can be listed with it.
        await job.updateData({ ...job.data, to: { ...job.data.to, email: composed.mail.to } });
      }
      await this.driver.send(composed.mail);
    } catch (error) {
      if (error instanceof PermanentMailError) throw new UnrecoverableError(error.message);
      throw error;
    }
    mailSent.inc({});
    this.logger.info({ eventId, eventType, to: composed.mail.to, subject, attempt }, 'e-mail sent');
    return 'sent';
  }

  private failed(job: Job<MailJobData, string>, error: Error): void {
    const { eventId, eventType, subject, to } = job.data;
    const attempts = job.opts.attempts ?? 1;
    const final =
      error instanceof UnrecoverableError ||
      error.name === 'UnrecoverableError' ||
      job.attemptsMade >= attempts;
    mailSendFailures.inc({ final: String(final) });
    const fields = {
      eventId,
      eventType,
      to: describeRecipient(to),
      subject,
      attempt: job.attemptsMade,
      attempts,
      error: error.message,
    };
    if (final) {
      this.logger.error(fields, 'e-mail failed for good; kept for `npm run notifications:failed`');
    } else {
      this.logger.warn(fields, 'e-mail not sent; it will be tried again');
    }
  }

  private logError(error: Error): void {
    if (Date.now() - this.lastErrorLog < ERROR_LOG_INTERVAL_MS) return;
    this.lastErrorLog = Date.now();
    this.logger.warn({ err: error }, 'e-mail worker cannot reach Redis; e-mails wait in the queue');
  }
}
