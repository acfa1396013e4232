/** Payloads of the keys service's subjects: API keys, their verification, and usage. */

export type KeyScope = 'API' | 'ADMIN';
export const KEY_SCOPES: readonly KeyScope[] = ['API', 'ADMIN'];

/** A key as anyone may see it: never the secret, only enough to recognise it. */
export interface KeyView {
  id: string;
  accountId: string;
  name: string;
  scope: KeyScope;
  /** The key's first characters (`tsk_` and four more) and its last four: how dashboards show a key. */
  prefix: string;
  last4: string;
  createdByUserId: string;
  createdAt: string;
  expiresAt: string | null;
  lastUsedAt: string | null;
  /** While a rotation's grace period runs: when the previous secret stops working. */
  previousSecretValidUntil: string | null;
}

/** The only reply that carries a secret: to create and to rotate. Shown once, never stored in the clear. */
export interface IssuedKey {
  key: KeyView;
  secret: string;
}

/** What the account's Admin asks for; the gateway has already checked the role. */
export interface KeyCommand {
  accountId: string;
  actorUserId: string;
}

export interface CreateKeyRequest extends KeyCommand {
  name: string;
  scope: KeyScope;
  expiresAt?: string | null;
}

/** A verified key, as the deciding process caches it. */
export interface VerifiedKey {
  keyId: string;
  accountId: string;
  scope: KeyScope;
  /** After this instant the presented secret no longer works (key expiry or the end of a rotation's grace). */
  validUntil: string | null;
}

export type UsageActorType = 'member' | 'key';

/** Requests counted in one gateway during one flush interval, by (account, actor, action, hour). */
export interface UsageCount {
  accountId: string;
  actorType: UsageActorType;
  actorId: string;
  action: string;
  /** The hour the requests fell in (ISO, on the hour). */
  hour: string;
  requests: number;
}

export interface UsageBatch {
  /** Unique per batch: a retried batch is counted once. */
  batchId: string;
  counts: UsageCount[];
  /** Keys used since they were last reported, with when (at most one report a minute per key). */
  keysUsed: { keyId: string; at: string }[];
}

export type UsageGrouping = 'actor' | 'action';

export interface UsageQuery {
  accountId: string;
  from: string;
  to: string;
  groupBy: UsageGrouping;
}

export interface UsageRow {
  /** For `group_by=actor`. */
  actor?: { type: UsageActorType; id: string };
  /** For `group_by=action`. */
  action?: string;
  requests: number;
}

export interface VerifyKeyRequest {
  hash: string;
  previousHashes?: string[];
}

export interface KeysRpc {
  'tessera.keys.key.create': [CreateKeyRequest, IssuedKey];
  'tessera.keys.key.list': [{ accountId: string }, KeyView[]];
  'tessera.keys.key.revoke': [KeyCommand & { keyId: string }, KeyView];
  'tessera.keys.key.rotate': [KeyCommand & { keyId: string; graceSeconds: number }, IssuedKey];
  /**
   * By the keyed hash of the secret (computed by the caller): the secret itself never crosses NATS. During a
   * rotation of `TESSERA_SECRET_KEY`, `previousHashes` are the hashes under the previous secrets' peppers, in
   * their order; a key found by one of them is stored under `hash` from then on.
   */
  'tessera.keys.key.verify': [VerifyKeyRequest, VerifiedKey];
  'tessera.keys.usage.record': [UsageBatch, { counted: boolean }];
  'tessera.keys.usage.query': [UsageQuery, UsageRow[]];
}

interface KeyEventBase {
  keyId: string;
  accountId: string;
  actorUserId: string;
}

export interface KeysEvents {
  'tessera.events.keys.key.created': KeyEventBase & { name: string; scope: KeyScope };
  /** `reason`: set when a policy revoked the key. */
  'tessera.events.keys.key.revoked': KeyEventBase & { reason?: string };
  /** A policy brought the key's expiry forward. */
  'tessera.events.keys.key.expiry_shortened': KeyEventBase & { expiresAt: string; reason: string };
  'tessera.events.keys.key.rotated': KeyEventBase & { previousSecretValidUntil: string };
}
