import { z } from 'zod';

/** Payloads of the identity service's subjects. Times cross NATS as ISO-8601 strings. */

export type SignInProvider = 'github' | 'google';
export const SIGN_IN_PROVIDERS: readonly SignInProvider[] = ['github', 'google'];

export interface SignInStartRequest {
  provider: SignInProvider;
  /** Already checked by the gateway to be a same-origin relative path. */
  returnTo: string;
  /** Set when a signed-in user links another provider instead of signing in. */
  linkUserId?: string;
}
export interface SignInStartReply {
  authorizationUrl: string;
  /** Bound to the browser by the gateway's signed cookie; single-use. */
  state: string;
}

export interface SignInCompleteRequest {
  provider: SignInProvider;
  /** Every query parameter of the callback (code, state, iss, error, …). */
  params: Record<string, string>;
  client: ClientInfo;
}
export interface SignInCompleteReply {
  userId: string;
  returnTo: string;
  /** A new session's refresh token; absent when the flow linked a provider to an existing session's user. */
  refreshToken?: string;
  linked: boolean;
}

/** The browser or CLI a session is opened for, as the gateway saw it. */
export const ClientInfoSchema = z.strictObject({
  userAgent: z.string().optional(),
  ip: z.string().optional(),
});
export type ClientInfo = z.infer<typeof ClientInfoSchema>;

export interface TokenGrant {
  access_token: string;
  token_type: 'Bearer';
  expires_in: number;
  refresh_token: string;
}

export interface RefreshRequest {
  refreshToken: string;
}

export interface SessionRef {
  sessionId: string;
  userId: string;
}

export interface RevokeSessionRequest {
  sessionId: string;
  /** When given, the session must belong to this user (a user revoking one of their own sessions). */
  userId?: string;
}

export interface SessionView {
  id: string;
  createdAt: string;
  lastUsedAt: string;
  expiresAt: string;
  userAgent: string | null;
  ip: string | null;
}

export interface LinkedIdentityView {
  provider: string;
  email: string | null;
  linkedAt: string;
}

export interface UserSummary {
  id: string;
  email: string;
  name: string | null;
}

export interface UserView {
  id: string;
  email: string;
  name: string | null;
  createdAt: string;
  identities: LinkedIdentityView[];
}

export interface Jwks {
  keys: Record<string, unknown>[];
}

/** RFC 8628 device authorization response. */
export interface DeviceAuthorization {
  device_code: string;
  user_code: string;
  verification_uri: string;
  verification_uri_complete: string;
  expires_in: number;
  interval: number;
}

export interface DevicePollRequest {
  deviceCode: string;
  client: ClientInfo;
}

/** RFC 8628 §3.5: the answers a polling client may get instead of tokens. */
export type DevicePollError =
  'authorization_pending' | 'slow_down' | 'access_denied' | 'expired_token' | 'invalid_grant';
export type DevicePollReply = { grant: TokenGrant } | { error: DevicePollError };

export interface DeviceLookupReply {
  userCode: string;
  status: 'pending' | 'approved' | 'denied' | 'used';
  expiresAt: string;
}

export interface DeviceDecisionRequest {
  userCode: string;
  userId: string;
  /** The browser session deciding: an approved login inherits its sign-in time. */
  sessionId: string;
  approve: boolean;
  /** The account the CLI will act for by default (already checked as one the user belongs to). */
  accountId?: string;
}

/** Claims of an access token, as the gateway reads them. */
export interface AccessTokenClaims {
  sub: string;
  sid: string;
  /** Default account chosen at device login. */
  acc?: string;
  exp: number;
}

export interface SessionRevokedEvent {
  sessionId: string;
  userId: string;
  reason: 'logout' | 'revoked_by_user' | 'refresh_token_reused' | 'policy';
}
export interface UserCreatedEvent {
  userId: string;
  email: string;
  provider: string;
}
export interface IdentityLinkedEvent {
  userId: string;
  provider: string;
}

/**
 * Identity subjects not yet described by schemas (see `RPC_SCHEMAS`); each moves to `IDENTITY_RPC` as it gets one.
 */
export interface IdentityRpc {
  'tessera.identity.signin.start': [SignInStartRequest, SignInStartReply];
  'tessera.identity.signin.complete': [SignInCompleteRequest, SignInCompleteReply];
  'tessera.identity.token.refresh': [RefreshRequest, TokenGrant];
  'tessera.identity.session.resolve': [RefreshRequest, SessionRef];
  'tessera.identity.session.revoke': [RevokeSessionRequest, SessionRef];
  'tessera.identity.session.list': [{ userId: string }, SessionView[]];
  'tessera.identity.user.get': [{ userId: string }, UserView];
  'tessera.identity.user.get-many': [{ userIds: string[] }, UserSummary[]];
  'tessera.identity.identity.unlink': [{ userId: string; provider: string }, UserView];
  'tessera.identity.jwks.get': [Record<string, never>, Jwks];
  'tessera.identity.device.create': [{ clientId?: string }, DeviceAuthorization];
  'tessera.identity.device.poll': [DevicePollRequest, DevicePollReply];
  'tessera.identity.device.lookup': [{ userCode: string }, DeviceLookupReply];
  'tessera.identity.device.decide': [DeviceDecisionRequest, DeviceLookupReply];
}

/** The identity service's subjects: request and reply schemas. */
export const IDENTITY_RPC = {};
