import { z } from 'zod';
import { ErrorBodySchema } from './error-codes';
import { IsoDateTime, rpc, Uuid } from './schema';

/**
 * Team secrets: values an account's deployed apps read at run time (API tokens, database passwords). Admins set
 * and delete them over HTTP and see only their names and dates; apps read the values through the decision point
 * on NATS (`tessera.secrets.resolve`). The keys service stores them, encrypted.
 */

/** Secret names are environment variable names: upper case, digits and `_`, not starting with a digit. */
export const SECRET_NAME = /^[A-Z_][A-Z0-9_]{0,127}$/;
const NAME_RULE =
  'A secret name is 1 to 128 of A-Z, 0-9 and _, not starting with a digit (e.g. DATABASE_URL).';

export const SecretNameSchema = z
  .string({ error: NAME_RULE })
  .regex(SECRET_NAME, NAME_RULE)
  .meta({ description: NAME_RULE, example: 'DATABASE_URL' });

/** 64 KiB of UTF-8: a certificate chain or a service account file fits; a data set does not. */
export const MAX_SECRET_BYTES = 64 * 1024;
const utf8 = new TextEncoder();

export const SecretValueSchema = z
  .string({ error: 'The value must be a string.' })
  .refine((value) => utf8.encode(value).length <= MAX_SECRET_BYTES, {
    message: `A secret value is at most ${MAX_SECRET_BYTES} bytes (64 KiB) of UTF-8.`,
  })
  .meta({ description: 'The secret, at most 64 KiB of UTF-8. Never shown again over HTTP.' });

/** `PUT /v1/accounts/:accountId/secrets/:name`. */
export const SetSecretBodySchema = z.strictObject({ value: SecretValueSchema }).meta({ id: 'SetSecretBody' });

/** A secret as the keys service lists it: never its value. */
export const SecretViewSchema = z.object({
  name: SecretNameSchema,
  createdByUserId: Uuid,
  createdAt: IsoDateTime,
  updatedByUserId: Uuid,
  updatedAt: IsoDateTime,
});
export type SecretView = z.infer<typeof SecretViewSchema>;

const SecretPersonSchema = z
  .object({ userId: Uuid, name: z.string().nullable(), email: z.string().nullable() })
  .meta({ id: 'SecretPerson', description: '`name` and `email` are `null` once the user is gone.' });

/** A secret as HTTP listings show it: name, who set it first and last, and when; never the value. */
export const SecretListingSchema = SecretViewSchema.extend({
  createdBy: SecretPersonSchema,
  updatedBy: SecretPersonSchema,
}).meta({ id: 'SecretListing' });
export type SecretListing = z.infer<typeof SecretListingSchema>;

/** The most names one resolve asks for. The size of the answer is bounded apart, below. */
export const MAX_RESOLVED_SECRETS = 16;

/**
 * The most JSON one resolve answers, in bytes. Names alone do not bound it: 16 values of 64 KiB are 1 MiB before
 * JSON escaping (which can make a value six times longer), while a NATS message is at most 1 MiB by default with
 * the service envelope around it. 768 KiB leaves room for that envelope; a larger answer is refused
 * `payload_too_large`, and the caller asks for fewer names at a time.
 */
export const MAX_RESOLVED_JSON_BYTES = 768 * 1024;

const SecretNamesSchema = z
  .array(SecretNameSchema, { error: `Must be a list of 1 to ${MAX_RESOLVED_SECRETS} secret names.` })
  .min(1, `Must be a list of 1 to ${MAX_RESOLVED_SECRETS} secret names.`)
  .max(MAX_RESOLVED_SECRETS, `Must be a list of 1 to ${MAX_RESOLVED_SECRETS} secret names.`)
  .overwrite((names) => [...new Set(names)]);

/**
 * `tessera.secrets.resolve` on NATS (plain JSON, like `tessera.authz.check`): a deployed app passes on the
 * credential it runs with and names the secrets it needs. Strict: an unknown field is refused, never ignored.
 */
export const SecretsResolveRequestSchema = z
  .strictObject({
    authorization: z
      .string({ error: 'Must be the Authorization header, as a string.' })
      .max(4096, 'Must be the Authorization header, as a string.'),
    names: SecretNamesSchema,
    /** For a member's Bearer token: which of their accounts (absent: the active one). A key reads only its own. */
    account: Uuid.optional(),
    /** The end client's address, so that repeated credential failures from it are slowed down. */
    clientAddress: z.string().max(64, 'Must be an address of at most 64 characters.').optional(),
  })
  .meta({ id: 'SecretsResolveRequest' });
export type SecretsResolveRequest = z.input<typeof SecretsResolveRequestSchema>;

/** The values found, by name; names the account has no secret for are listed in `missing`. */
export const ResolvedSecretsSchema = z.object({
  accountId: Uuid,
  secrets: z.record(SecretNameSchema, z.string()),
  missing: z.array(SecretNameSchema),
});
export type ResolvedSecrets = z.infer<typeof ResolvedSecretsSchema>;

/** The reply of `tessera.secrets.resolve`: the values, or `{ error: { code, message } }` for every refusal. */
export const SecretsResolveReplySchema = z.union([
  ResolvedSecretsSchema,
  z.object({ error: ErrorBodySchema }),
]);
export type SecretsResolveReply = z.infer<typeof SecretsResolveReplySchema>;

export const SECRETS_RESOLVE_SUBJECT = 'tessera.secrets.resolve';

/** What the account's Admin asks for; the gateway has already checked the role. */
const SecretCommand = z.strictObject({ accountId: Uuid, actorUserId: Uuid, name: SecretNameSchema });

/** The keys service's secret subjects. Values cross NATS only to be stored, and to the decision point. */
export const SECRETS_RPC = {
  'tessera.keys.secret.set': rpc(SecretCommand.extend({ value: SecretValueSchema }), SecretViewSchema),
  'tessera.keys.secret.list': rpc(z.strictObject({ accountId: Uuid }), z.array(SecretViewSchema)),
  'tessera.keys.secret.delete': rpc(SecretCommand, z.object({ deleted: z.literal(true) })),
  /** Only the gateway's decision point asks, after it allowed `secrets.read` for this account. */
  'tessera.keys.secret.resolve': rpc(
    z.strictObject({ accountId: Uuid, names: SecretNamesSchema }),
    ResolvedSecretsSchema,
  ),
};

/** What a secret change tells: the account, the name and who; never the value (strict, so one cannot slip in). */
const SecretEventBase = z.strictObject({ accountId: Uuid, name: SecretNameSchema, actorUserId: Uuid });

/** The keys service's secret events, for the audit trail: written in the same transaction as the change. */
export const SECRETS_EVENTS = {
  /** `created`: the name was new to the account; otherwise its value was replaced. */
  'tessera.events.keys.secret.set': SecretEventBase.extend({ created: z.boolean() }),
  'tessera.events.keys.secret.deleted': SecretEventBase,
};
