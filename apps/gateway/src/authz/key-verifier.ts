import { Inject, Injectable } from '@nestjs/common';
import { GatewayConfig } from '@tessera/config';
import { RpcClient, TesseraError, VerifiedKey } from '@tessera/contracts';
import { API_KEY_PEPPER_PURPOSE, CONFIG, Keyring, apiKeyHash, isWellFormedApiKey } from '@tessera/runtime';
import { EventFeed } from '../directory/event-feed';
import { LRUCache } from 'lru-cache';
import { fetchingCache, forgetWhere } from '../directory/cache';

const MAX_KEYS = 100_000;

export const invalidCredentials = () =>
  new TesseraError('invalid_credentials', 'The credentials are invalid, expired or revoked.');

/**
 * API keys as the gateway checks them. A key with a bad shape or checksum is refused without any lookup; a
 * good one is hashed (HMAC under the server's pepper) and looked up first here, then in the keys service. A
 * verified key is remembered by its hash until it stops being valid, and forgotten on every gateway as soon as
 * it is revoked or rotated. During a rotation of `TESSERA_SECRET_KEY`, a lookup also carries the key's hashes
 * under the previous secrets (one HMAC each, only when the cache misses), so keys made before it keep working
 * and are hashed again under the current secret by the keys service.
 */
@Injectable()
export class KeyVerifier {
  private readonly pepper: Buffer;
  private readonly previousPeppers: readonly Buffer[];
  /** By the key's hash under the current pepper; the fetch context is the secret. */
  private readonly verified: LRUCache<string, VerifiedKey, string>;

  constructor(
    private readonly rpc: RpcClient,
    feed: EventFeed,
    @Inject(CONFIG) config: GatewayConfig,
  ) {
    [this.pepper, ...this.previousPeppers] = Keyring.fromConfig(config)
      .derive(API_KEY_PEPPER_PURPOSE)
      .map(({ key }) => key);
    this.verified = fetchingCache(
      'api-keys',
      MAX_KEYS,
      config.credentialCacheSeconds * 1000,
      async (hash, _, { context: secret, options }) => {
        const previousHashes = this.previousPeppers.map((pepper) => apiKeyHash(pepper, secret));
        const key = await this.rpc.request(
          'tessera.keys.key.verify',
          previousHashes.length > 0 ? { hash, previousHashes } : { hash },
        );
        if (key.validUntil)
          options.ttl = Math.max(
            Math.min(Date.parse(key.validUntil) - Date.now(), options.ttl ?? Infinity),
            1,
          );
        return key;
      },
    );
    const forget = ({ data }: { data: { keyId: string } }) => this.forget(data.keyId);
    feed.on('tessera.events.keys.key.revoked', forget);
    feed.on('tessera.events.keys.key.rotated', forget);
    feed.on('tessera.events.keys.key.expiry_shortened', forget);
    feed.onResync(() => this.verified.clear());
  }

  /** The key, or `invalid_credentials` for anything that is not a usable key. */
  async verify(secret: string): Promise<VerifiedKey> {
    if (!isWellFormedApiKey(secret)) throw invalidCredentials();
    return this.verified.forceFetch(apiKeyHash(this.pepper, secret), { context: secret });
  }

  /** After a change made through this gateway: forget the key now rather than when its event comes back. */
  forget(keyId: string): void {
    forgetWhere(this.verified, (key) => key.keyId === keyId);
  }
}
