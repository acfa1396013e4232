import { Inject, Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { GatewayConfig } from '@tessera/config';
import { RpcClient, UsageActorType, UsageBatch, UsageCount } from '@tessera/contracts';
import { CONFIG, LOGGER, Logger } from '@tessera/runtime';
import { LRUCache } from 'lru-cache';
import { v4 as uuidv4 } from 'uuid';

const HOUR_MS = 3_600_000;
const LAST_USED_EVERY_MS = 60_000;
/** Keys whose last report is remembered; one pushed out early is merely reported again sooner. */
const MAX_KEYS_REPORTED = 100_000;

/**
 * Counts allowed requests in memory by (account, actor, action, hour) and sends them to the keys service once
 * per flush interval: the database sees one write per gateway per interval, whatever the request rate.
 *
 * A batch that was sent but not acknowledged is sent again, unchanged and with the same id, before anything
 * newer, so a lost reply never counts twice and a keys outage loses nothing while this process lives. What is
 * counted but not yet sent when the process dies (at most one interval) is lost: usage is for reports, not
 * for billing to the request.
 */
@Injectable()
export class UsageRecorder implements OnApplicationBootstrap, OnApplicationShutdown {
  private counts = new Map<string, UsageCount>();
  private keysUsed = new Map<string, string>();
  /** Keys whose `last_used_at` was reported within the last minute. */
  private readonly keysReported = new LRUCache<string, true>({
    max: MAX_KEYS_REPORTED,
    ttl: LAST_USED_EVERY_MS,
  });
  private unacknowledged?: UsageBatch;
  private timer?: NodeJS.Timeout;
  private flushing?: Promise<void>;

  constructor(
    private readonly rpc: RpcClient,
    @Inject(CONFIG) private readonly config: GatewayConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  count(accountId: string, actorType: UsageActorType, actorId: string, action: string): void {
    const hour = new Date(Math.floor(Date.now() / HOUR_MS) * HOUR_MS).toISOString();
    const key = `${accountId}|${actorType}|${actorId}|${action}|${hour}`;
    const count = this.counts.get(key);
    if (count) count.requests += 1;
    else this.counts.set(key, { accountId, actorType, actorId, action, hour, requests: 1 });
  }

  /** Notes a key's use; its `last_used_at` is sent at most once a minute. */
  keyUsed(keyId: string): void {
    if (this.keysReported.has(keyId)) return;
    this.keysReported.set(keyId, true);
    this.keysUsed.set(keyId, new Date().toISOString());
  }

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.flush(), this.config.usageFlushMs);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.flush();
  }

  /** Sends what was counted; one flush at a time. */
  flush(): Promise<void> {
    this.flushing ??= this.send().finally(() => (this.flushing = undefined));
    return this.flushing;
  }

  private async send(): Promise<void> {
    try {
      if (this.unacknowledged) {
        await this.rpc.request('tessera.keys.usage.record', this.unacknowledged);
        this.unacknowledged = undefined;
      }
      if (this.counts.size === 0 && this.keysUsed.size === 0) return;
      this.unacknowledged = {
        batchId: uuidv4(),
        counts: [...this.counts.values()],
        keysUsed: [...this.keysUsed].map(([keyId, at]) => ({ keyId, at })),
      };
      this.counts = new Map();
      this.keysUsed = new Map();
      await this.rpc.request('tessera.keys.usage.record', this.unacknowledged);
      this.unacknowledged = undefined;
    } catch (error) {
      this.logger.warn({ err: error }, 'usage not sent yet; will retry');
    }
  }
}
