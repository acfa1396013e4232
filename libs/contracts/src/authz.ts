import { z } from 'zod';
import { ErrorDetailSchema } from './error-codes';
import { KeyScopeSchema } from './keys';
import { Uuid } from './schema';
import { AccountKindSchema, RoleSchema } from './teams';

/**
 * The policy decision point, `tessera.authz.check` on NATS and `POST /v1/authz/check` over HTTP: may this
 * credential do this action, in this account? Internal services ask it before serving a request.
 */
// Strict on purpose, unlike most replies: a misspelt `account` silently dropped would decide for the key's own
// account instead of the one meant. An unknown field is a denial with its name, never a decision about another.
export const AuthzCheckRequestSchema = z
  .strictObject({
    authorization: z
      .string({ error: 'Must be the Authorization header, as a string.' })
      .max(4096, 'Must be the Authorization header, as a string.')
      .meta({ description: "The caller's `Authorization` header as received.", example: 'Key tsk_…' }),
    /** Checked against the known actions by the decision point, which answers `unknown_action` for others. */
    action: z.string({ error: 'Must be a string such as `models.call`.' }).meta({
      description: "An action such as `models.call` (see the README's table of actions).",
      example: 'models.call',
    }),
    account: Uuid.optional().meta({
      description:
        "The account the request is for; absent: the key's account, or the member's active account.",
    }),
    record: z.boolean({ error: 'Must be true or false.' }).optional().meta({
      description: "Count this request in the account's usage, attributed to the member or the key.",
    }),
    clientAddress: z.string().max(64, 'Must be an address of at most 64 characters.').optional().meta({
      description:
        "The end client's address, so that repeated failures from one address are slowed down. Honoured on NATS only.",
    }),
  })
  .meta({ id: 'AuthzCheckRequest' });
export type AuthzCheckRequest = z.input<typeof AuthzCheckRequestSchema>;

export const MemberActorSchema = z.object({ type: z.literal('member'), userId: Uuid, role: RoleSchema });
export type MemberActor = z.infer<typeof MemberActorSchema>;
export const KeyActorSchema = z.object({ type: z.literal('key'), keyId: Uuid, scope: KeyScopeSchema });
export type KeyActor = z.infer<typeof KeyActorSchema>;

export const PrincipalViewSchema = z
  .object({
    account: z.object({ id: Uuid, kind: AccountKindSchema, organizationId: Uuid.optional() }),
    actor: z.discriminatedUnion('type', [MemberActorSchema, KeyActorSchema]),
    via: z.enum(['bearer', 'key']),
  })
  .meta({ id: 'PrincipalView' });
export type PrincipalView = z.infer<typeof PrincipalViewSchema>;

export const DenialReasonSchema = z.enum([
  'invalid_credentials',
  'scope_insufficient',
  'forbidden',
  'not_a_member',
  'account_archived',
  'unknown_action',
  'validation_failed',
  'rate_limited',
]);
export type DenialReason = z.infer<typeof DenialReasonSchema>;

export const AuthzCheckReplySchema = z
  .object({
    allow: z.boolean(),
    reason: DenialReasonSchema.optional(),
    /** For a denial: a sentence for logs and for the end client. */
    message: z.string().optional(),
    /** With `validation_failed`: each field that is wrong. */
    details: z.array(ErrorDetailSchema).optional(),
    /** Who is asking, when the credential was valid (also on some denials, e.g. `scope_insufficient`). */
    principal: PrincipalViewSchema.optional(),
    /** On an allowed answer, when the account's policy sets `data.retentionDays`: how long to keep what it makes. */
    retentionDays: z.number().optional(),
  })
  .meta({ id: 'AuthzCheckReply' });
export type AuthzCheckReply = z.infer<typeof AuthzCheckReplySchema>;

/** The decision point's subject: plain JSON request and reply (not the RPC envelope of the other subjects). */
export const AUTHZ_CHECK_SUBJECT = 'tessera.authz.check';
