import { Inject, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { EVENTS_STREAM, EventEnvelope, EventSubject, NatsNamespace, readEvent } from '@tessera/contracts';
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
import { startEventHandling } from '@tessera/telemetry';
import { ensureEventStream } from './event-stream';
import { Logger } from './logger';

/** Unacknowledged for this long (the process died mid-event), an event is delivered again. */
const ACK_WAIT_MS = 30_000;
/** A handler failed (a dependency is down): try the event again after this long; it waits in JetStream. */
const RETRY_EVENT_MS = 5000;
const RECONNECT_MS = 1000;
const BATCH = 64;
const codec = JSONCodec<unknown>();

/** An event whose payload does not have the fields its type promises: acknowledged and dropped, never retried. */
export class MalformedEventError extends Error {}

export interface DurableConsumerOptions {
  /** The durable consumer's name: replicas share it, so each event is handled by one of them. */
  name: string;
  filterSubject: string;
}

/**
 * Follows the installation's event stream with a durable pull consumer and hands each event to `handle`. An event is
 * acknowledged only once `handle` has finished, so none is lost: while this service or what `handle` needs is
 * down, events wait in JetStream. Delivery is at least once, so `handle` must be idempotent. An event that
 * `handle` finds malformed is dropped (logged); any other failure is retried later.
 */
export abstract class DurableEventConsumer<E extends EventSubject = EventSubject>
  implements OnApplicationBootstrap, OnModuleDestroy
{
  private running = false;
  private loop?: Promise<void>;
  private messages?: ConsumerMessages;
  private stop?: () => void;
  private readonly stopped = new Promise<void>((resolve) => (this.stop = resolve));
  /** Injected here rather than through the constructor, so the consumers of every service need not pass it on. */
  @Inject(NatsNamespace) private readonly namespace!: NatsNamespace;

  protected constructor(
    protected readonly nc: NatsConnection,
    protected readonly logger: Logger,
    private readonly options: DurableConsumerOptions,
  ) {}

  /**
   * Does what the event means, with a payload its schema has already checked; throws `MalformedEventError` to
   * drop it, anything else to retry it.
   */
  protected abstract handle(envelope: EventEnvelope<E>): Promise<void>;

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
    const { name } = this.options;
    let failures = 0;
    while (this.running) {
      try {
        const consumer = await this.openConsumer();
        const messages = await consumer.consume({ max_messages: BATCH, abort_on_missing_resource: true });
        this.messages = messages;
        if (!this.running) await messages.close();
        if (failures > 0) this.logger.info({ consumer: name, failures }, 'following events again');
        failures = 0;
        for await (const message of messages) {
          if (!this.running) {
            message.nak();
            continue;
          }
          await this.deliver(message);
        }
      } catch (error) {
        if (this.running && failures === 0) {
          this.logger.warn(
            { consumer: name, err: error },
            'cannot follow events; retrying (they wait in JetStream)',
          );
        }
        failures += 1;
      }
      if (this.running) await Promise.race([this.stopped, sleep(RECONNECT_MS)]);
    }
  }

  /**
   * The durable consumer, created (with the stream) if missing; harmless when replicas race to create it. Its name
   * needs no prefix: it lives in the installation's own stream.
   */
  private async openConsumer(): Promise<Consumer> {
    const { name, filterSubject } = this.options;
    const stream = this.namespace.stream(EVENTS_STREAM);
    await ensureEventStream(this.nc, this.namespace);
    const jsm = await this.nc.jetstreamManager();
    try {
      await jsm.consumers.info(stream, name);
    } catch (error) {
      if (!(error instanceof NatsError && error.api_error?.err_code === 10014)) throw error; // consumer not found
      await jsm.consumers.add(stream, {
        durable_name: name,
        filter_subject: this.namespace.subject(filterSubject),
        ack_policy: AckPolicy.Explicit,
        ack_wait: nanos(ACK_WAIT_MS),
        // From the start of the stream: a first start must not miss what happened before it.
        deliver_policy: DeliverPolicy.All,
        max_deliver: -1,
      });
      this.logger.info({ consumer: name, filterSubject }, 'created a durable consumer of events');
    }
    return this.nc.jetstream().consumers.get(stream, name);
  }

  /** Handles one event inside the trace of the change that wrote it (its `traceparent` header). */
  private deliver(message: JsMsg): Promise<void> {
    const handling = startEventHandling(message.subject, message.headers);
    return handling.run(async () => handling.end(await this.settle(message)));
  }

  /** Handles, then acknowledges, drops or retries the event; resolves with the outcome for its span. */
  private async settle(message: JsMsg): Promise<string> {
    try {
      const read = readEvent(codec.decode(message.data));
      if ('malformed' in read) throw new MalformedEventError(read.malformed);
      // The filter subject delivers only `E`, and `readEvent` checked the payload against that event's schema.
      await this.handle(read.event as EventEnvelope<E>);
      message.ack();
      return 'ok';
    } catch (error) {
      if (error instanceof MalformedEventError) {
        this.logger.error(
          { consumer: this.options.name, subject: message.subject, seq: message.seq, err: error },
          'dropped a malformed event',
        );
        message.term();
        return 'malformed';
      }
      this.logger.warn(
        { consumer: this.options.name, subject: message.subject, seq: message.seq, err: error },
        'could not handle an event; it will be delivered again',
      );
      message.nak(RETRY_EVENT_MS);
      return 'retried';
    }
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
