import { Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { EventEnvelope, EventSubject, NatsNamespace, readEvent } from '@tessera/contracts';
import { LOGGER, Logger, NATS_CONNECTION } from '@tessera/runtime';
import { JSONCodec, NatsConnection } from 'nats';

const codec = JSONCodec<unknown>();

/**
 * Change events as they happen, for the gateway's caches. Events are published to JetStream, and NATS also
 * delivers them to plain subscribers of the subject: every gateway instance gets each one within
 * milliseconds, without a consumer to manage. A plain subscription misses what happens while disconnected, so
 * after a reconnect every cache is told to start over (`onResync`).
 */
@Injectable()
export class EventFeed implements OnApplicationBootstrap {
  private readonly resyncs: (() => void)[] = [];

  constructor(
    @Inject(NATS_CONNECTION) private readonly nc: NatsConnection,
    @Inject(LOGGER) private readonly logger: Logger,
    private readonly namespace: NatsNamespace,
  ) {}

  on<E extends EventSubject>(subject: E, handle: (event: EventEnvelope<E>) => void): void {
    this.nc.subscribe(this.namespace.subject(subject), {
      callback: (error, message) => {
        if (error) return;
        try {
          const read = readEvent(codec.decode(message.data));
          if ('malformed' in read) throw new Error(read.malformed);
          handle(read.event as EventEnvelope<E>);
        } catch (failure) {
          this.logger.warn({ err: failure, subject }, 'cannot apply an event to a cache');
        }
      },
    });
  }

  onResync(resync: () => void): void {
    this.resyncs.push(resync);
  }

  onApplicationBootstrap(): void {
    void (async () => {
      for await (const status of this.nc.status()) {
        if (status.type !== 'reconnect') continue;
        this.logger.info('NATS reconnected: clearing cached credentials and memberships');
        for (const resync of this.resyncs) resync();
      }
    })();
  }
}
