import { z } from 'zod';
import { IsoDateTime, NoPayload, rpc, UserIdRequest, Uuid } from './schema';

/** Payloads of the identity service's subjects. Times cross NATS as ISO-8601 strings. */

export const SIGN_IN_PROVIDERS = ['github', 'google'] as const;
export const SignInProviderSchema = z.enum(SIGN_IN_PROVIDERS, {
  error: 'The provider must be github or google.',
});
export type SignInProvider = z.infer<typeof SignInProviderSchema>;

/** Where a sign-in comes from, as the gateway saw it: recorded on the session it opens. */
export const ClientInfoSchema = z.strictObject({
  userAgent: z.string().optional(),
  ip: z.string().optional(),
});
export type ClientInfo = z.infer<typeof ClientInfoSchema>;

export const SignInStartRequestSchema = z.strictObject({
  provider: SignInProviderSchema,
  /** Already checked by the gateway to be a same-origin relative path. */
  returnTo: z.string(),
  /** Set when a signed-in user links another provider instead of signing in. */
  linkUserId: Uuid.optional(),
});
export type SignInStartRequest = z.infer<typeof SignInStartRequestSchema>;

export const SignInStartReplySchema = z.object({
  authorizationUrl: z.string(),
  /** Bound to the browser by the gateway's signed cookie; single-use. */
  state: z.string(),
});
export type SignInStartReply = z.infer<typeof SignInStartReplySchema>;

export const SignInCompleteRequestSchema = z.strictObject({
  provider: SignInProviderSchema,
  /** Every query parameter of the callback (code, state, iss, error, …). */
  params: z.record(z.string(), z.string()),
  client: ClientInfoSchema,
});
export type SignInCompleteRequest = z.infer<typeof SignInCompleteRequestSchema>;

export const SignInCompleteReplySchema = z.object({
  userId: Uuid,
  returnTo: z.string(),
  /** A new session's refresh token; absent when the flow linked a provider to an existing session's user. */
  refreshToken: z.string().optional(),
  linked: z.boolean(),
});
export type SignInCompleteReply = z.infer<typeof SignInCompleteReplySchema>;

/** RFC 6749 §5.1: the token endpoint's answer, with the protocol's own field names. */
export const TokenGrantSchema = z
  .object({
    access_token: z.string(),
    token_type: z.literal('Bearer'),
    expires_in: z.number().int().meta({ description: 'Seconds the access token stays valid.' }),
    refresh_token: z.string().meta({ description: 'The next refresh token: the one sent is used up.' }),
  })
  .meta({ id: 'TokenGrant' });
export type TokenGrant = z.infer<typeof TokenGrantSchema>;

export const RefreshRequestSchema = z.strictObject({ refreshToken: z.string() });
export type RefreshRequest = z.infer<typeof RefreshRequestSchema>;

export const SessionRefSchema = z.object({ sessionId: Uuid, userId: Uuid });
export type SessionRef = z.infer<typeof SessionRefSchema>;

export const RevokeSessionRequestSchema = z.strictObject({
  sessionId: Uuid,
  /** When given, the session must belong to this user (a user revoking one of their own sessions). */
  userId: Uuid.optional(),
});
export type RevokeSessionRequest = z.infer<typeof RevokeSessionRequestSchema>;

export const SessionViewSchema = z
  .object({
    id: Uuid,
    createdAt: IsoDateTime,
    lastUsedAt: IsoDateTime,
    expiresAt: IsoDateTime,
    userAgent: z.string().nullable(),
    ip: z.string().nullable(),
  })
  .meta({ id: 'Session' });
export type SessionView = z.infer<typeof SessionViewSchema>;

export const LinkedIdentityViewSchema = z
  .object({
    /** `github`, `google`, or an organization's single sign-on: `saml:<connection id>`. */
    provider: z.string(),
    email: z.string().nullable(),
    linkedAt: IsoDateTime,
  })
  .meta({ id: 'LinkedIdentity' });
export type LinkedIdentityView = z.infer<typeof LinkedIdentityViewSchema>;

export const UserSummarySchema = z.object({ id: Uuid, email: z.string(), name: z.string().nullable() });
export type UserSummary = z.infer<typeof UserSummarySchema>;

export const UserViewSchema = UserSummarySchema.extend({
  createdAt: IsoDateTime,
  identities: z.array(LinkedIdentityViewSchema),
}).meta({ id: 'User' });
export type UserView = z.infer<typeof UserViewSchema>;

export const JwksSchema = z
  .object({ keys: z.array(z.record(z.string(), z.unknown())) })
  .meta({ id: 'Jwks', description: 'RFC 7517 JSON Web Key Set.' });
export type Jwks = z.infer<typeof JwksSchema>;

/** The most users one `user.get-many` names: the members of a large organization, never a directory dump. */
export const MAX_USERS_PER_LOOKUP = 10_000;

/** RFC 8628 §3.2: the device authorization response, with the protocol's own field names. */
export const DeviceAuthorizationSchema = z
  .object({
    device_code: z.string(),
    user_code: z.string().meta({ example: 'BCDF-GHJK' }),
    verification_uri: z.string(),
    verification_uri_complete: z.string(),
    expires_in: z.number().int(),
    interval: z.number().int(),
  })
  .meta({ id: 'DeviceAuthorization' });
export type DeviceAuthorization = z.infer<typeof DeviceAuthorizationSchema>;

export const DeviceCreateRequestSchema = z.strictObject({
  /** Who asks (`tessera-cli`); informative only, public clients prove nothing. */
  clientId: z.string().max(100, 'A client id has at most 100 characters.').optional(),
});

export const DevicePollRequestSchema = z.strictObject({
  deviceCode: z.string().min(1),
  client: ClientInfoSchema,
});
export type DevicePollRequest = z.infer<typeof DevicePollRequestSchema>;

/** RFC 8628 §3.5: the answers a polling client may get instead of tokens. */
export const DevicePollErrorSchema = z.enum([
  'authorization_pending',
  'slow_down',
  'access_denied',
  'expired_token',
  'invalid_grant',
]);
export type DevicePollError = z.infer<typeof DevicePollErrorSchema>;
export const DevicePollReplySchema = z.union([
  z.object({ grant: TokenGrantSchema }),
  z.object({ error: DevicePollErrorSchema }),
]);
export type DevicePollReply = z.infer<typeof DevicePollReplySchema>;

/** As the person types it: any case, with or without the dash. */
export const UserCodeSchema = z.string().max(32, 'A user code has at most 32 characters.');

export const DeviceLookupReplySchema = z
  .object({
    userCode: z.string().meta({ example: 'BCDF-GHJK' }),
    status: z.enum(['pending', 'approved', 'denied', 'used']),
    expiresAt: IsoDateTime,
  })
  .meta({ id: 'DeviceLogin' });
export type DeviceLookupReply = z.infer<typeof DeviceLookupReplySchema>;

export const DeviceDecisionRequestSchema = z.strictObject({
  userCode: UserCodeSchema,
  userId: Uuid,
  /** The browser session deciding: an approved login inherits its sign-in time. */
  sessionId: Uuid,
  approve: z.boolean(),
  /** The account the CLI will act for by default (already checked as one the user belongs to). */
  accountId: Uuid.optional(),
});
export type DeviceDecisionRequest = z.infer<typeof DeviceDecisionRequestSchema>;

/** Claims of an access token, as the gateway reads them (other claims are checked by the JWT library). */
export const AccessTokenClaimsSchema = z.object({
  sub: Uuid,
  sid: Uuid,
  /** Default account chosen at device login. */
  acc: Uuid.optional(),
  exp: z.number(),
});
export type AccessTokenClaims = z.infer<typeof AccessTokenClaimsSchema>;

/** The identity service's subjects: request and reply schemas. */
export const IDENTITY_RPC = {
  'tessera.identity.signin.start': rpc(SignInStartRequestSchema, SignInStartReplySchema),
  'tessera.identity.signin.complete': rpc(SignInCompleteRequestSchema, SignInCompleteReplySchema),
  'tessera.identity.token.refresh': rpc(RefreshRequestSchema, TokenGrantSchema),
  'tessera.identity.session.resolve': rpc(RefreshRequestSchema, SessionRefSchema),
  'tessera.identity.session.revoke': rpc(RevokeSessionRequestSchema, SessionRefSchema),
  'tessera.identity.session.list': rpc(UserIdRequest, z.array(SessionViewSchema)),
  'tessera.identity.user.get': rpc(UserIdRequest, UserViewSchema),
  'tessera.identity.user.get-many': rpc(
    z.strictObject({
      userIds: z.array(Uuid).max(MAX_USERS_PER_LOOKUP, `At most ${MAX_USERS_PER_LOOKUP} users at once.`),
    }),
    z.array(UserSummarySchema),
  ),
  'tessera.identity.identity.unlink': rpc(
    UserIdRequest.extend({ provider: z.string().min(1) }),
    UserViewSchema,
  ),
  'tessera.identity.jwks.get': rpc(NoPayload, JwksSchema),
  'tessera.identity.device.create': rpc(DeviceCreateRequestSchema, DeviceAuthorizationSchema),
  'tessera.identity.device.poll': rpc(DevicePollRequestSchema, DevicePollReplySchema),
  'tessera.identity.device.lookup': rpc(
    z.strictObject({ userCode: UserCodeSchema }),
    DeviceLookupReplySchema,
  ),
  'tessera.identity.device.decide': rpc(DeviceDecisionRequestSchema, DeviceLookupReplySchema),
};

export const SessionRevokedReasonSchema = z.enum([
  'logout',
  'revoked_by_user',
  'refresh_token_reused',
  'policy',
]);
export type SessionRevokedReason = z.infer<typeof SessionRevokedReasonSchema>;

const IdentityLinkedEventSchema = z.object({ userId: Uuid, provider: z.string() });

/** The identity service's events (sign-in, sessions, users): payload schemas. */
export const IDENTITY_EVENTS = {
  'tessera.events.identity.user.created': z.object({ userId: Uuid, email: z.string(), provider: z.string() }),
  'tessera.events.identity.session.revoked': z.object({
    sessionId: Uuid,
    userId: Uuid,
    reason: SessionRevokedReasonSchema,
  }),
  'tessera.events.identity.identity.linked': IdentityLinkedEventSchema,
  'tessera.events.identity.identity.unlinked': IdentityLinkedEventSchema,
};
