import { Inject, Injectable } from '@nestjs/common';
import { GatewayConfig } from '@tessera/config';
import { RpcClient, TesseraError, VerifiedKey } from '@tessera/contracts';
import { API_KEY_PEPPER_PURPOSE, CONFIG, Keyring, apiKeyHash, isWellFormedApiKey } from '@tessera/runtime';
import { EventFeed } from '../directory/event-feed';
import { TtlCache } from '../directory/ttl-cache';

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
  private readonly verified: TtlCache<string, VerifiedKey>;

  constructor(
    private readonly rpc: RpcClient,
    feed: EventFeed,
    @Inject(CONFIG) config: GatewayConfig,
  ) {
    [this.pepper, ...this.previousPeppers] = Keyring.fromConfig(config)
      .derive(API_KEY_PEPPER_PURPOSE)
      .map(({ key }) => key);
    this.verified = new TtlCache(config.credentialCacheSeconds * 1000);
    const forget = ({ data }: { data: { keyId: string } }) =>
      this.verified.deleteWhere((key) => key.keyId === data.keyId);
    feed.on('tessera.events.keys.key.revoked', forget);
    feed.on('tessera.events.keys.key.rotated', forget);
    feed.on('tessera.events.keys.key.expiry_shortened', forget);
    feed.onResync(() => this.verified.clear());
  }

  /** The key, or `invalid_credentials` for anything that is not a usable key. */
  async verify(secret: string): Promise<VerifiedKey> {
    if (!isWellFormedApiKey(secret)) throw invalidCredentials();
    const hash = apiKeyHash(this.pepper, secret);
    const cached = this.verified.get(hash);
    if (cached) return cached;
    const previousHashes = this.previousPeppers.map((pepper) => apiKeyHash(pepper, secret));
    const key = await this.rpc.request(
      'tessera.keys.key.verify',
      previousHashes.length > 0 ? { hash, previousHashes } : { hash },
    );
    this.verified.set(hash, key, key.validUntil ? Date.parse(key.validUntil) : Infinity);
    return key;
  }

  /** After a change made through this gateway: forget the key now rather than when its event comes back. */
  forget(keyId: string): void {
    this.verified.deleteWhere((key) => key.keyId === keyId);
  }
}
