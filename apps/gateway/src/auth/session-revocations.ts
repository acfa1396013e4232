import { Inject, Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { GatewayConfig } from '@tessera/config';
import { EVENTS_STREAM, EventEnvelope, NatsNamespace, readEvent } from '@tessera/contracts';
import { CONFIG, LOGGER, Logger, NATS_CONNECTION, ensureEventStream } from '@tessera/runtime';
import { LRUCache } from 'lru-cache';
import { ConsumerMessages, DeliverPolicy, JSONCodec, NatsConnection } from 'nats';

const SUBJECT = 'tessera.events.identity.session.revoked';
const RETRY_MS = 1000;
const codec = JSONCodec<unknown>();

/**
 * Sessions revoked anywhere, so their still-unexpired access tokens stop working here within moments. It reads
 * `session.revoked` events from JetStream starting one token lifetime back, so a gateway that (re)starts also
 * learns the revocations whose tokens could still be presented.
 */
@Injectable()
export class SessionRevocations implements OnApplicationBootstrap, OnApplicationShutdown {
  /**
   * Revoked session ids, each until its last token expires (after that, remembering it is pointless). Not bounded
   * by a count: forgetting a revocation early would let its tokens in again. A token lifetime bounds it instead.
   */
  private readonly revoked: LRUCache<string, true>;
  private messages?: ConsumerMessages;
  private running = false;

  constructor(
    @Inject(NATS_CONNECTION) private readonly nc: NatsConnection,
    @Inject(CONFIG) private readonly config: GatewayConfig,
    @Inject(LOGGER) private readonly logger: Logger,
    private readonly namespace: NatsNamespace,
  ) {
    this.revoked = new LRUCache({ ttl: config.accessTokenTtlSeconds * 1000, ttlAutopurge: true });
  }

  isRevoked(sessionId: string): boolean {
    return this.revoked.has(sessionId);
  }

  onApplicationBootstrap(): void {
    this.running = true;
    void this.follow();
  }

  async onApplicationShutdown(): Promise<void> {
    this.running = false;
    await this.messages?.close();
  }

  /** Keeps a consumer open, creating the stream if no event was ever written; retries while NATS is away. */
  private async follow(): Promise<void> {
    const ttlMs = this.config.accessTokenTtlSeconds * 1000;
    while (this.running) {
      try {
        await ensureEventStream(this.nc, this.namespace);
        const consumer = await this.nc.jetstream().consumers.get(this.namespace.stream(EVENTS_STREAM), {
          filterSubjects: this.namespace.subject(SUBJECT), // one subject: multi-subject filters need nats-server 2.10
          deliver_policy: DeliverPolicy.StartTime,
          opt_start_time: new Date(Date.now() - ttlMs).toISOString(),
        });
        this.messages = await consumer.consume();
        for await (const message of this.messages) {
          const read = readEvent(codec.decode(message.data));
          if ('malformed' in read)
            this.logger.error({ reason: read.malformed }, 'dropped a malformed revocation');
          else this.revoked.set((read.event as EventEnvelope<typeof SUBJECT>).data.sessionId, true);
        }
      } catch (error) {
        if (this.running) this.logger.warn({ err: error }, 'cannot follow session revocations; retrying');
      }
      if (this.running) await new Promise((done) => setTimeout(done, RETRY_MS));
    }
  }
}
