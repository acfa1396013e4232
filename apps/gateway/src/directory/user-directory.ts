import { Inject, Injectable } from '@nestjs/common';
import { GatewayConfig } from '@tessera/config';
import { RpcClient, UserView } from '@tessera/contracts';
import { CONFIG } from '@tessera/runtime';
import { EventFeed } from './event-feed';
import { LRUCache } from 'lru-cache';
import { fetchingCache } from './cache';

const MAX_USERS = 50_000;

/**
 * Users as `/v1/me` shows them, remembered between requests: a profile changes only when a sign-in method is
 * linked or unlinked, and those events reach every gateway at once.
 */
@Injectable()
export class UserDirectory {
  private readonly views: LRUCache<string, UserView>;

  constructor(
    private readonly rpc: RpcClient,
    feed: EventFeed,
    @Inject(CONFIG) config: GatewayConfig,
  ) {
    this.views = fetchingCache('users', MAX_USERS, config.credentialCacheSeconds * 1000, (userId) =>
      this.rpc.request('tessera.identity.user.get', { userId }),
    );
    feed.on('tessera.events.identity.identity.linked', ({ data }) => this.forget(data.userId));
    feed.on('tessera.events.identity.identity.unlinked', ({ data }) => this.forget(data.userId));
    feed.onResync(() => this.views.clear());
  }

  view(userId: string): Promise<UserView> {
    return this.views.forceFetch(userId);
  }

  /** After a change made through this gateway: the next read asks identity, without waiting for the event. */
  forget(userId: string): void {
    this.views.delete(userId);
  }
}
