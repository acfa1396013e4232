import { Inject, Injectable } from '@nestjs/common';
import { EventEnvelope } from '@tessera/contracts';
import { DurableEventConsumer, LOGGER, Logger, NATS_CONNECTION } from '@tessera/runtime';
import { NatsConnection } from 'nats';
import { MailQueue } from '../mail/mail.queue';
import { TEAMS_EVENTS_FILTER, mailForEvent } from './mail-for-event';

/** The durable consumer's name: replicas share it, so each event is handled by one of them. */
export const NOTIFICATIONS_CONSUMER = 'notifications';

/**
 * Queues an e-mail for each teams event that means one. An event is acknowledged only once its job is in Redis
 * (or when it means no e-mail); while Redis is down, events wait in JetStream. The job id (= event id) makes a
 * second delivery queue nothing.
 */
@Injectable()
export class TeamsEventsHandler extends DurableEventConsumer {
  constructor(
    @Inject(NATS_CONNECTION) nc: NatsConnection,
    @Inject(LOGGER) logger: Logger,
    private readonly mailQueue: MailQueue,
  ) {
    super(nc, logger, { name: NOTIFICATIONS_CONSUMER, filterSubject: TEAMS_EVENTS_FILTER });
  }

  protected async handle(envelope: EventEnvelope): Promise<void> {
    const mail = mailForEvent(envelope);
    if (!mail) return;
    await this.mailQueue.enqueue(mail);
    this.logger.debug(
      { eventId: mail.eventId, eventType: mail.eventType, subject: mail.subject },
      'e-mail queued',
    );
  }
}
