import { AccountKind, Role } from './teams';
import { KeyScope } from './keys';

/**
 * The policy decision point, `tessera.authz.check` on NATS and `POST /v1/authz/check` over HTTP: may this
 * credential do this action, in this account? Internal services ask it before serving a request.
 */
export interface AuthzCheckRequest {
  /** The caller's `Authorization` header as received: `Key tsk_…` or `Bearer <access token>`. */
  authorization: string;
  /** An action such as `models.call` (see the README's table of actions). */
  action: string;
  /** The account the request is for; absent: the key's account, or the member's active account. */
  account?: string;
  /** Count this request in the account's usage, attributed to the member or the key. */
  record?: boolean;
  /** The end client's address, so that repeated failures from one address are slowed down. */
  clientAddress?: string;
}

export type MemberActor = { type: 'member'; userId: string; role: Role };
export type KeyActor = { type: 'key'; keyId: string; scope: KeyScope };

export interface PrincipalView {
  account: { id: string; kind: AccountKind; organizationId?: string };
  actor: MemberActor | KeyActor;
  via: 'bearer' | 'key';
}

export type DenialReason =
  | 'invalid_credentials'
  | 'scope_insufficient'
  | 'forbidden'
  | 'not_a_member'
  | 'account_archived'
  | 'unknown_action'
  | 'validation_failed'
  | 'rate_limited';

export interface AuthzCheckReply {
  allow: boolean;
  reason?: DenialReason;
  /** For a denial: a sentence for logs and for the end client. */
  message?: string;
  /** Who is asking, when the credential was valid (also on some denials, e.g. `scope_insufficient`). */
  principal?: PrincipalView;
  /** On an allowed answer, when the account's policy sets `data.retentionDays`: how long to keep what it makes. */
  retentionDays?: number;
}

/** The decision point's subject: plain JSON request and reply (not the RPC envelope of the other subjects). */
export const AUTHZ_CHECK_SUBJECT = 'tessera.authz.check';
