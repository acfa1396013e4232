import { Inject, Injectable } from '@nestjs/common';
import { GatewayConfig } from '@tessera/config';
import {
  AccessTokenClaims,
  AccessTokenClaimsSchema,
  Jwks,
  RpcClient,
  TesseraError,
} from '@tessera/contracts';
import { CONFIG, sha256 } from '@tessera/runtime';
import { JSONWebKeySet, createLocalJWKSet, errors, jwtVerify } from 'jose';
import { LRUCache } from 'lru-cache';
import { fetchingCache } from '../directory/cache';
import { SessionRevocations } from './session-revocations';

const MAX_TOKENS = 100_000;
const JWKS_REFRESH_MIN_INTERVAL_MS = 10_000;

export const invalidToken = () =>
  new TesseraError('invalid_token', 'The access token is invalid or expired. Sign in again or refresh it.');

/**
 * Checks Bearer tokens in the gateway, without a call per request: signatures are verified against identity's
 * JWKS (fetched over NATS, refetched when an unknown key id appears), and a verified token is remembered by its
 * hash until it expires, so the hot path is a hash and a map lookup. Revoked sessions are refused at once.
 */
@Injectable()
export class AccessTokenVerifier {
  /** By the token's SHA-256; the fetch context is the token. */
  private readonly verified: LRUCache<string, AccessTokenClaims, string>;
  private keySet?: ReturnType<typeof createLocalJWKSet>;
  private keysFetchedAt = 0;

  constructor(
    private readonly rpc: RpcClient,
    private readonly revocations: SessionRevocations,
    @Inject(CONFIG) private readonly config: GatewayConfig,
  ) {
    this.verified = fetchingCache(
      'access-tokens',
      MAX_TOKENS,
      config.accessTokenTtlSeconds * 1000,
      async (_, __, { context: token, options }) => {
        const claims = await this.verifySignature(token);
        options.ttl = Math.max(claims.exp * 1000 - Date.now(), 1);
        return claims;
      },
    );
  }

  async verify(token: string): Promise<AccessTokenClaims> {
    const claims = await this.verified.forceFetch(sha256(token), { context: token });
    if (this.revocations.isRevoked(claims.sid)) throw invalidToken();
    return claims;
  }

  private async verifySignature(token: string): Promise<AccessTokenClaims> {
    let payload;
    try {
      payload = await this.check(token);
    } catch (error) {
      // `check` answers every bad token with `invalid_token`; anything else (identity unreachable) is no verdict.
      if (!(error instanceof errors.JWKSNoMatchingKey)) throw error;
      if (!(await this.refreshKeys())) throw invalidToken();
      payload = await this.check(token).catch((again: unknown) => {
        throw again instanceof errors.JWKSNoMatchingKey ? invalidToken() : again;
      });
    }
    const parsed = AccessTokenClaimsSchema.safeParse(payload);
    if (!parsed.success) throw invalidToken();
    const claims = parsed.data;
    return claims;
  }

  private async check(token: string) {
    const keySet = this.keySet ?? (await this.refreshKeys(true));
    if (!keySet) throw invalidToken();
    try {
      const { payload } = await jwtVerify(token, keySet, {
        issuer: this.config.publicUrl,
        audience: 'tessera',
        algorithms: ['EdDSA'],
        typ: 'at+jwt',
      });
      return payload;
    } catch (error) {
      if (error instanceof errors.JWKSNoMatchingKey) throw error;
      throw invalidToken();
    }
  }

  /** Fetches identity's keys, at most every few seconds so garbage key ids cannot make us hammer identity. */
  private async refreshKeys(force = false): Promise<ReturnType<typeof createLocalJWKSet> | undefined> {
    if (!force && Date.now() - this.keysFetchedAt < JWKS_REFRESH_MIN_INTERVAL_MS) return undefined;
    this.keysFetchedAt = Date.now();
    const jwks: Jwks = await this.rpc.request('tessera.identity.jwks.get', {});
    this.keySet = createLocalJWKSet(jwks as unknown as JSONWebKeySet);
    return this.keySet;
  }
}
