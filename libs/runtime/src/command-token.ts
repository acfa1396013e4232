import { createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import { CallerTokenSigner, ServiceName, serviceOfSubject } from '@tessera/contracts';
import { canonicalJson } from './canonical-json';
import { deriveKey, sha256 } from './secrets';
import { SeenTokenIds } from './seen-token-ids';
import { z } from 'zod';

/**
 * Command tokens: the proof a call on the bus carries that a Tessera process (a holder of the root secret) made
 * it, for this subject and this data, seconds ago (see docs/decisions/012-command-tokens.md).
 *
 * `v1.<claims>.<mac>`: claims are base64url JSON, the mac is HMAC-SHA-256 of `v1.<claims>` under a key derived
 * from the root secret for the audience service, so a token for one service is worthless at another.
 */
export const CommandTokenClaimsSchema = z.object({
  /** The service that answers the subject. */
  aud: z.string(),
  /** The exact subject. */
  sub: z.string(),
  /** The actor the data names (`actorUserId`, else `userId`); absent when it names none. */
  act: z.string().optional(),
  /** SHA-256 of the canonical JSON of the data: the whole payload, account and actor included. */
  bh: z.string(),
  /** Issued and expires, seconds since the epoch. */
  iat: z.number(),
  exp: z.number(),
  /** Unique per token: a second use is refused. */
  jti: z.string().min(1),
});
export type CommandTokenClaims = z.infer<typeof CommandTokenClaimsSchema>;

export type CommandTokenFailure =
  | 'missing'
  | 'malformed'
  | 'bad_signature'
  | 'wrong_audience'
  | 'wrong_subject'
  | 'expired'
  | 'not_yet_valid'
  | 'payload_mismatch'
  | 'actor_mismatch'
  | 'replayed';

/** Long enough for a call and its queueing, short enough that a captured token is soon worthless. */
export const COMMAND_TOKEN_LIFETIME_SECONDS = 30;
/** Clocks of two hosts disagree a little; more than this and the deployment's time is broken. */
export const COMMAND_TOKEN_CLOCK_SKEW_SECONDS = 5;
const VERSION = 'v1';
const SEEN_CAPACITY = 100_000;

function keyFor(secret: string, audience: string): Buffer {
  return deriveKey(secret, `bus/command-token:${audience}`);
}

function mac(key: Buffer, signed: string): Buffer {
  return createHmac('sha256', key).update(signed).digest();
}

/** `actorUserId`, else `userId`, when the data is an object that names one as a string. */
export function actorOf(data: unknown): string | undefined {
  if (typeof data !== 'object' || data === null) return undefined;
  const { actorUserId, userId } = data as { actorUserId?: unknown; userId?: unknown };
  if (typeof actorUserId === 'string') return actorUserId;
  return typeof userId === 'string' ? userId : undefined;
}

export function bodyHash(data: unknown): string {
  return sha256(canonicalJson(data));
}

/** Mints one token per call, for the service that answers the subject. Keys are derived once per audience. */
export class CommandTokenSigner implements CallerTokenSigner {
  private readonly keys = new Map<string, Buffer>();
  private readonly secret: string;

  constructor(
    secrets: readonly string[],
    private readonly now: () => number = Date.now,
  ) {
    const [current] = secrets;
    if (!current) throw new Error('a command token signer needs a secret');
    this.secret = current;
  }

  sign(subject: string, data: unknown): string {
    const aud = serviceOfSubject(subject);
    const iat = Math.floor(this.now() / 1000);
    const act = actorOf(data);
    const claims: CommandTokenClaims = {
      aud,
      sub: subject,
      ...(act === undefined ? {} : { act }),
      bh: bodyHash(data),
      iat,
      exp: iat + COMMAND_TOKEN_LIFETIME_SECONDS,
      jti: randomUUID(),
    };
    const signed = `${VERSION}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}`;
    return `${signed}.${mac(this.key(aud), signed).toString('base64url')}`;
  }

  private key(audience: string): Buffer {
    let key = this.keys.get(audience);
    if (!key) this.keys.set(audience, (key = keyFor(this.secret, audience)));
    return key;
  }
}

/**
 * Checks the tokens of calls to one service: signature under any accepted secret, audience, subject, lifetime,
 * the data's hash and actor, and that the token was not used before in this process.
 */
export class CommandTokenVerifier {
  private readonly keys: Buffer[];
  private readonly seen: SeenTokenIds;

  constructor(
    private readonly service: ServiceName,
    secrets: readonly string[],
    private readonly now: () => number = Date.now,
  ) {
    this.keys = secrets.map((secret) => keyFor(secret, service));
    this.seen = new SeenTokenIds(SEEN_CAPACITY, now);
  }

  /** Undefined when the token is good for this call (and is now spent); otherwise why it is not. */
  verify(token: string | undefined, subject: string, data: unknown): CommandTokenFailure | undefined {
    if (!token) return 'missing';
    const parts = token.split('.');
    if (parts.length !== 3 || parts[0] !== VERSION) return 'malformed';
    const [version, encodedClaims, encodedMac] = parts as [string, string, string];
    const presented = Buffer.from(encodedMac, 'base64url');
    const signed = `${version}.${encodedClaims}`;
    const authentic = this.keys.some((key) => {
      const expected = mac(key, signed);
      return presented.length === expected.length && timingSafeEqual(presented, expected);
    });
    if (!authentic) return 'bad_signature';
    const claims = parseClaims(encodedClaims);
    if (!claims) return 'malformed';
    if (claims.aud !== this.service) return 'wrong_audience';
    if (claims.sub !== subject) return 'wrong_subject';
    const nowSeconds = this.now() / 1000;
    if (claims.iat > nowSeconds + COMMAND_TOKEN_CLOCK_SKEW_SECONDS) return 'not_yet_valid';
    if (claims.exp - claims.iat > COMMAND_TOKEN_LIFETIME_SECONDS) return 'malformed';
    if (claims.exp + COMMAND_TOKEN_CLOCK_SKEW_SECONDS <= nowSeconds) return 'expired';
    if (claims.bh !== bodyHash(data)) return 'payload_mismatch';
    if (claims.act !== actorOf(data)) return 'actor_mismatch';
    const expiresAtMs = (claims.exp + COMMAND_TOKEN_CLOCK_SKEW_SECONDS) * 1000;
    return this.seen.remember(claims.jti, expiresAtMs) ? undefined : 'replayed';
  }
}

function parseClaims(encoded: string): CommandTokenClaims | undefined {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(encoded, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
  const claims = CommandTokenClaimsSchema.safeParse(value);
  return claims.success ? claims.data : undefined;
}
