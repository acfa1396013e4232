import { Inject, Injectable, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { EVENTS_STREAM, EventEnvelope } from '@tessera/contracts';
import { LOGGER, Logger, NATS_CONNECTION, ensureEventStream } from '@tessera/runtime';
import {
  AckPolicy,
  Consumer,
  ConsumerMessages,
  DeliverPolicy,
  JSONCodec,
  JsMsg,
  NatsConnection,
  NatsError,
  nanos,
} from 'nats';
import { MailQueue } from '../mail/mail.queue';
import { MalformedEventError, TEAMS_EVENTS_FILTER, mailForEvent } from './mail-for-event';

/** The durable consumer's name: replicas share it, so each event is handled by one of them. */
export const NOTIFICATIONS_CONSUMER = 'notifications';
/** Unacknowledged for this long (the process died mid-event), an event is delivered again. */
const ACK_WAIT_MS = 30_000;
/** Redis did not take the job: try the event again after this long (it waits in JetStream meanwhile). */
const RETRY_EVENT_MS = 5000;
const RECONNECT_MS = 1000;
const BATCH = 64;
const codec = JSONCodec<EventEnvelope>();

/**
 * Reads the teams events from `TESSERA_EVENTS` with the durable pull consumer `notifications` and queues an
 * e-mail for each that means one. A message is acknowledged only once its job is in Redis (or when it means no
 * e-mail), so an event is never lost: while Redis or this service is down, events wait in JetStream. Delivery is
 * at least once; the job id (= event id) makes a second delivery queue nothing.
 */
@Injectable()
export class TeamsEventsHandler implements OnApplicationBootstrap, OnModuleDestroy {
  private running = false;
  private loop?: Promise<void>;
  private messages?: ConsumerMessages;
  private stop?: () => void;
  private readonly stopped = new Promise<void>((resolve) => (this.stop = resolve));

  constructor(
    @Inject(NATS_CONNECTION) private readonly nc: NatsConnection,
    @Inject(LOGGER) private readonly logger: Logger,
    private readonly mailQueue: MailQueue,
  ) {}

  onApplicationBootstrap(): void {
    this.running = true;
    this.loop = this.follow();
  }

  /** Stops taking events and waits for the one in hand; unacknowledged ones go to another replica or the next start. */
  async onModuleDestroy(): Promise<void> {
    this.running = false;
    this.stop?.();
    await this.messages?.close();
    await this.loop;
  }

  private async follow(): Promise<void> {
    let failures = 0;
    while (this.running) {
      try {
        const consumer = await this.openConsumer();
        const messages = await consumer.consume({ max_messages: BATCH, abort_on_missing_resource: true });
        this.messages = messages;
        if (!this.running) await messages.close();
        if (failures > 0) this.logger.info({ failures }, 'following teams events again');
        failures = 0;
        for await (const message of messages) {
          if (!this.running) {
            message.nak();
            continue;
          }
          await this.handle(message);
        }
      } catch (error) {
        if (this.running && failures === 0) {
          this.logger.warn({ err: error }, 'cannot follow teams events; retrying (events wait in JetStream)');
        }
        failures += 1;
      }
      if (this.running) await Promise.race([this.stopped, sleep(RECONNECT_MS)]);
    }
  }

  /** The durable consumer, created (with the stream) if missing; harmless when replicas race to create it. */
  private async openConsumer(): Promise<Consumer> {
    await ensureEventStream(this.nc);
    const jsm = await this.nc.jetstreamManager();
    try {
      await jsm.consumers.info(EVENTS_STREAM, NOTIFICATIONS_CONSUMER);
    } catch (error) {
      if (!(error instanceof NatsError && error.api_error?.err_code === 10014)) throw error; // consumer not found
      await jsm.consumers.add(EVENTS_STREAM, {
        durable_name: NOTIFICATIONS_CONSUMER,
        filter_subject: TEAMS_EVENTS_FILTER,
        ack_policy: AckPolicy.Explicit,
        ack_wait: nanos(ACK_WAIT_MS),
        // From the start of the stream: a first start must not miss the invitations sent before it.
        deliver_policy: DeliverPolicy.All,
        max_deliver: -1,
      });
      this.logger.info({ consumer: NOTIFICATIONS_CONSUMER }, 'created the durable consumer of teams events');
    }
    return this.nc.jetstream().consumers.get(EVENTS_STREAM, NOTIFICATIONS_CONSUMER);
  }

  private async handle(message: JsMsg): Promise<void> {
    let envelope: EventEnvelope;
    let mail;
    try {
      envelope = codec.decode(message.data);
      if (typeof envelope?.id !== 'string' || typeof envelope.type !== 'string' || !envelope.data) {
        throw new MalformedEventError('not an event envelope');
      }
      mail = mailForEvent(envelope);
    } catch (error) {
      this.logger.error(
        { subject: message.subject, seq: message.seq, err: error },
        'dropped a malformed teams event',
      );
      message.term();
      return;
    }
    if (!mail) {
      message.ack();
      return;
    }
    try {
      await this.mailQueue.enqueue(mail);
      message.ack();
      this.logger.debug(
        { eventId: mail.eventId, eventType: mail.eventType, subject: mail.subject },
        'e-mail queued',
      );
    } catch (error) {
      this.logger.warn(
        { eventId: envelope.id, eventType: envelope.type, err: error },
        'cannot queue an e-mail; the event will be delivered again',
      );
      message.nak(RETRY_EVENT_MS);
    }
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
