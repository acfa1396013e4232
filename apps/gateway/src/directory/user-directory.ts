import { Inject, Injectable } from '@nestjs/common';
import { GatewayConfig } from '@tessera/config';
import { RpcClient, UserView } from '@tessera/contracts';
import { CONFIG } from '@tessera/runtime';
import { EventFeed } from './event-feed';
import { TtlCache } from './ttl-cache';

/**
 * Users as `/v1/me` shows them, remembered between requests: a profile changes only when a sign-in method is
 * linked or unlinked, and those events reach every gateway at once.
 */
@Injectable()
export class UserDirectory {
  private readonly views: TtlCache<string, UserView>;

  constructor(
    private readonly rpc: RpcClient,
    feed: EventFeed,
    @Inject(CONFIG) config: GatewayConfig,
  ) {
    this.views = new TtlCache(config.credentialCacheSeconds * 1000);
    feed.on('tessera.events.identity.identity.linked', ({ data }) => this.forget(data.userId));
    feed.on('tessera.events.identity.identity.unlinked', ({ data }) => this.forget(data.userId));
    feed.onResync(() => this.views.clear());
  }

  async view(userId: string): Promise<UserView> {
    const cached = this.views.get(userId);
    if (cached) return cached;
    const view = await this.rpc.request('tessera.identity.user.get', { userId });
    this.views.set(userId, view);
    return view;
  }

  /** After a change made through this gateway: the next read asks identity, without waiting for the event. */
  forget(userId: string): void {
    this.views.delete(userId);
  }
}
