import { Inject, Injectable } from '@nestjs/common';
import { ServiceConfig } from '@tessera/config';
import { CONFIG, withTimeout } from '@tessera/runtime';
import { Resolver } from 'node:dns/promises';

/** What DNS said about a name's TXT records: their values, that there are none, or that it could not be asked. */
export type TxtAnswer =
  { outcome: 'found'; values: string[] } | { outcome: 'none' } | { outcome: 'failed'; reason: string };

/** Answers meaning "the name or its TXT records do not exist": a verification not yet published, not a failure. */
const NO_RECORDS = new Set(['ENOTFOUND', 'ENODATA']);

/**
 * TXT lookups against `TESSERA_DNS_SERVERS`, or the system's resolvers when it is unset. The whole lookup gets half
 * the RPC timeout, so a silent DNS server ends as a lookup failure the caller can read, never as the caller's own
 * timeout (`service_unavailable`).
 */
@Injectable()
export class DnsTxtLookup {
  private readonly budgetMs: number;

  constructor(@Inject(CONFIG) private readonly config: ServiceConfig) {
    this.budgetMs = Math.floor(config.rpcTimeoutMs / 2);
  }

  async txt(name: string): Promise<TxtAnswer> {
    // One resolver per lookup: cancelling one that ran out of time must not cancel other lookups in flight. Two
    // tries, the retry waiting twice as long (c-ares doubles it): t + 2t fits the budget for one server; the
    // deadline below bounds the lookup when several servers are configured.
    const resolver = new Resolver({ timeout: Math.floor(this.budgetMs / 3), tries: 2 });
    if (this.config.dnsServers) resolver.setServers(this.config.dnsServers);
    try {
      const records = await withTimeout(resolver.resolveTxt(name), this.budgetMs);
      // A TXT record longer than 255 bytes arrives in chunks; its value is their concatenation (RFC 7208 §3.3).
      return { outcome: 'found', values: records.map((chunks) => chunks.join('')) };
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code && NO_RECORDS.has(code)) return { outcome: 'none' };
      return { outcome: 'failed', reason: code ?? 'ETIMEOUT' };
    } finally {
      resolver.cancel();
    }
  }
}
