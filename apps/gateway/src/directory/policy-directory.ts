import { Inject, Injectable } from '@nestjs/common';
import { GatewayConfig } from '@tessera/config';
import { PolicySettings, RpcClient } from '@tessera/contracts';
import { CONFIG } from '@tessera/runtime';
import { EventFeed } from './event-feed';
import { TtlCache } from './ttl-cache';

/**
 * The effective policy of each account, as the decision point needs it (`data.retentionDays`), remembered
 * between requests and replaced on every gateway by the `policy.changed` event, which carries the new one.
 */
@Injectable()
export class PolicyDirectory {
  private readonly policies: TtlCache<string, PolicySettings>;

  constructor(
    private readonly rpc: RpcClient,
    feed: EventFeed,
    @Inject(CONFIG) config: GatewayConfig,
  ) {
    this.policies = new TtlCache(config.credentialCacheSeconds * 1000);
    feed.on('tessera.events.teams.policy.changed', ({ data }) => {
      for (const { accountId, effective } of data.affected) this.policies.set(accountId, effective);
    });
    // A team that joins an organization takes on its policy.
    feed.on('tessera.events.teams.team.moved', ({ data }) => this.policies.delete(data.accountId));
    feed.onResync(() => this.policies.clear());
  }

  async effective(accountId: string): Promise<PolicySettings> {
    const cached = this.policies.get(accountId);
    if (cached) return cached;
    const { effective } = await this.rpc.request('tessera.teams.policy.get', { accountId });
    this.policies.set(accountId, effective);
    return effective;
  }
}
