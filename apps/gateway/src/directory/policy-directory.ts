import { Inject, Injectable } from '@nestjs/common';
import { GatewayConfig } from '@tessera/config';
import { PolicySettings, RpcClient } from '@tessera/contracts';
import { CONFIG } from '@tessera/runtime';
import { EventFeed } from './event-feed';
import { LRUCache } from 'lru-cache';
import { fetchingCache } from './cache';

const MAX_POLICIES = 50_000;

/**
 * The effective policy of each account, as the decision point needs it (`data.retentionDays`), remembered
 * between requests and replaced on every gateway by the `policy.changed` event, which carries the new one.
 */
@Injectable()
export class PolicyDirectory {
  private readonly policies: LRUCache<string, PolicySettings>;

  constructor(
    private readonly rpc: RpcClient,
    feed: EventFeed,
    @Inject(CONFIG) config: GatewayConfig,
  ) {
    this.policies = fetchingCache(
      'policies',
      MAX_POLICIES,
      config.credentialCacheSeconds * 1000,
      async (accountId) => {
        const { effective } = await this.rpc.request('tessera.teams.policy.get', { accountId });
        return effective;
      },
    );
    feed.on('tessera.events.teams.policy.changed', ({ data }) => {
      for (const { accountId, effective } of data.affected) this.policies.set(accountId, effective);
    });
    // A team that joins an organization takes on its policy.
    feed.on('tessera.events.teams.team.moved', ({ data }) => this.policies.delete(data.accountId));
    feed.onResync(() => this.policies.clear());
  }

  effective(accountId: string): Promise<PolicySettings> {
    return this.policies.forceFetch(accountId);
  }
}
