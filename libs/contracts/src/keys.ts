import { z } from 'zod';
import { AccountIdRequest, IsoDateTime, rpc, Uuid } from './schema';

/** Payloads of the keys service's subjects: API keys, their verification, and usage. */

export const KEY_SCOPES = ['API', 'ADMIN'] as const;
export const KeyScopeSchema = z.enum(KEY_SCOPES, { error: 'The scope must be API or ADMIN.' }).meta({
  id: 'KeyScope',
  description: 'API: call models and endpoints. ADMIN: also deploy, run, manage apps, platform admin.',
});
export type KeyScope = z.infer<typeof KeyScopeSchema>;

/** The longest grace period of a rotation: a week. */
export const MAX_GRACE_SECONDS = 7 * 24 * 3600;

/** A key as anyone may see it: never the secret, only enough to recognise it. */
export const KeyViewSchema = z
  .object({
    id: Uuid,
    accountId: Uuid,
    name: z.string(),
    scope: KeyScopeSchema,
    /** The key's first characters (`tsk_` and four more) and its last four: how dashboards show a key. */
    prefix: z.string().meta({ example: 'tsk_4KcV' }),
    last4: z.string().meta({ example: 'a3Zt' }),
    createdByUserId: Uuid,
    createdAt: IsoDateTime,
    expiresAt: IsoDateTime.nullable(),
    lastUsedAt: IsoDateTime.nullable(),
    /** While a rotation's grace period runs: when the previous secret stops working. */
    previousSecretValidUntil: IsoDateTime.nullable(),
  })
  .meta({ id: 'KeyView' });
export type KeyView = z.infer<typeof KeyViewSchema>;

/** Who made a key, named for people: `name` and `email` are `null` once the user is gone. */
export const KeyCreatorSchema = z
  .object({ userId: Uuid, name: z.string().nullable(), email: z.string().nullable() })
  .meta({ id: 'KeyCreator' });
export type KeyCreator = z.infer<typeof KeyCreatorSchema>;

/** A key as listings over HTTP show it: the key's metadata and who created it, by name. */
export const KeyListingSchema = KeyViewSchema.extend({ createdBy: KeyCreatorSchema }).meta({
  id: 'KeyListing',
});
export type KeyListing = z.infer<typeof KeyListingSchema>;

/** What anyone in an account may know of its keys without seeing them: that they exist. */
export const KeyCountSchema = z
  .object({
    count: z.number().int().min(0).meta({
      description: 'The keys an Admin or Billing member sees listed (revoked keys leave the list).',
    }),
  })
  .meta({ id: 'KeyCount' });
export type KeyCount = z.infer<typeof KeyCountSchema>;

/** The only reply that carries a secret: to create and to rotate. Shown once, never stored in the clear. */
export const IssuedKeySchema = z
  .object({
    key: KeyViewSchema,
    secret: z.string().meta({ description: 'The key itself. Shown once: store it now.', example: 'tsk_…' }),
  })
  .meta({ id: 'IssuedKey' });
export type IssuedKey = z.infer<typeof IssuedKeySchema>;

/** What the account's Admin asks for; the gateway has already checked the role. */
export const KeyCommandSchema = z.strictObject({ accountId: Uuid, actorUserId: Uuid });
export type KeyCommand = z.infer<typeof KeyCommandSchema>;

export const KeyNameSchema = z
  .string()
  .trim()
  .min(1, 'A key name has 1 to 64 characters.')
  .max(64, 'A key name has 1 to 64 characters.')
  .meta({ example: 'production' });

/** What the person chooses when creating a key; the rest of the command comes from who asks. */
export const NewKeySchema = z.strictObject({
  name: KeyNameSchema,
  scope: KeyScopeSchema,
  /** When the key stops working; never if absent. Checked against the clock by the keys service. */
  expiresAt: IsoDateTime.nullish().meta({ description: 'When the key stops working; never if absent.' }),
});

export const CreateKeyRequestSchema = KeyCommandSchema.extend(NewKeySchema.shape);
export type CreateKeyRequest = z.infer<typeof CreateKeyRequestSchema>;

export const GraceSecondsSchema = z
  .number()
  .int()
  .min(0)
  .max(MAX_GRACE_SECONDS, `At most ${MAX_GRACE_SECONDS} seconds (7 days).`)
  .meta({ description: 'How long the previous secret keeps working (0: it stops at once).', example: 3600 });

/** A verified key, as the deciding process caches it. */
export const VerifiedKeySchema = z.object({
  keyId: Uuid,
  accountId: Uuid,
  scope: KeyScopeSchema,
  /** After this instant the presented secret no longer works (key expiry or the end of a rotation's grace). */
  validUntil: IsoDateTime.nullable(),
});
export type VerifiedKey = z.infer<typeof VerifiedKeySchema>;

export const UsageActorTypeSchema = z.enum(['member', 'key']);
export type UsageActorType = z.infer<typeof UsageActorTypeSchema>;

/** A checked action's name: `<resource>.<verb>`, lower case (see the decision point). */
const ActionName = z
  .string()
  .regex(/^[a-z][a-z_]*(?:\.[a-z][a-z_]*)+$/, 'Must be an action like `models.invoke`.');

export const MAX_COUNTS_PER_BATCH = 10_000;
export const MAX_USAGE_RANGE_DAYS = 366;

/** Requests counted in one gateway during one flush interval, by (account, actor, action, hour). */
export const UsageCountSchema = z.strictObject({
  accountId: Uuid,
  actorType: UsageActorTypeSchema,
  actorId: Uuid,
  action: ActionName,
  /** The hour the requests fell in (ISO, on the hour). */
  hour: IsoDateTime,
  requests: z.number().int().positive().max(Number.MAX_SAFE_INTEGER),
});
export type UsageCount = z.infer<typeof UsageCountSchema>;

export const UsageBatchSchema = z.strictObject({
  /** Unique per batch: a retried batch is counted once. */
  batchId: Uuid,
  counts: z.array(UsageCountSchema).max(MAX_COUNTS_PER_BATCH),
  /** Keys used since they were last reported, with when (at most one report a minute per key). */
  keysUsed: z.array(z.strictObject({ keyId: Uuid, at: IsoDateTime })).default([]),
});
export type UsageBatch = z.input<typeof UsageBatchSchema>;

export const UsageGroupingSchema = z.enum(['actor', 'action']);
export type UsageGrouping = z.infer<typeof UsageGroupingSchema>;

/** The time buckets of a usage report: requests per UTC hour or per UTC day. */
export const UsageIntervalSchema = z
  .enum(['hour', 'day'], { error: 'The interval must be hour or day.' })
  .meta({ id: 'UsageInterval' });
export type UsageInterval = z.infer<typeof UsageIntervalSchema>;

/** Hourly buckets span at most a month: a year of them for every actor would be a dump, not a chart. */
export const MAX_HOURLY_RANGE_DAYS = 31;

/** Refuses a usage range that is empty, backwards, longer than a year, or hourly over more than a month. */
export function inUsageRange<S extends z.ZodType<{ from: string; to: string; interval?: UsageInterval }>>(
  schema: S,
) {
  return schema
    .refine(({ from, to }) => Date.parse(from) < Date.parse(to), {
      message: '`from` must be before `to`.',
      path: ['to'],
    })
    .refine(({ from, to }) => Date.parse(to) - Date.parse(from) <= MAX_USAGE_RANGE_DAYS * 86_400_000, {
      message: `A usage range spans at most ${MAX_USAGE_RANGE_DAYS} days.`,
      path: ['to'],
    })
    .refine(
      ({ from, to, interval }) =>
        interval !== 'hour' || Date.parse(to) - Date.parse(from) <= MAX_HOURLY_RANGE_DAYS * 86_400_000,
      {
        message: `Hourly usage spans at most ${MAX_HOURLY_RANGE_DAYS} days: ask by day, or a shorter range.`,
        path: ['interval'],
      },
    );
}

export const UsageQuerySchema = inUsageRange(
  z.strictObject({
    accountId: Uuid,
    from: IsoDateTime,
    to: IsoDateTime,
    groupBy: UsageGroupingSchema,
    /** Absent: one row per actor (or action) over the whole range. */
    interval: UsageIntervalSchema.optional(),
  }),
);
export type UsageQuery = z.infer<typeof UsageQuerySchema>;

export const UsageRowSchema = z
  .object({
    /** With `groupBy=actor`. */
    actor: z.object({ type: UsageActorTypeSchema, id: Uuid }).optional(),
    /** With `groupBy=action`. */
    action: z.string().optional(),
    period: IsoDateTime.optional().meta({
      description: 'With `interval`: the start of the UTC hour or day the requests fell in.',
    }),
    requests: z.number().int(),
  })
  .meta({ id: 'UsageRow' });
export type UsageRow = z.infer<typeof UsageRowSchema>;

/** How a usage report names an actor: a person by name or e-mail, a key by "Team key" / "Personal key". */
export const UsageActorViewSchema = z
  .object({
    type: UsageActorTypeSchema,
    id: Uuid,
    label: z.string().meta({ example: 'Team key' }),
    /** For a member (former members too): `null` when the user is gone. */
    email: z.string().nullish(),
    /** For a key: its name, or `(revoked key)`. */
    keyName: z.string().optional(),
  })
  .meta({ id: 'UsageActorView' });
export type UsageActorView = z.infer<typeof UsageActorViewSchema>;

/** A usage report over HTTP: the rows of `tessera.keys.usage.query`, with the actors named. */
export const UsageReportSchema = z
  .object({
    accountId: Uuid,
    from: IsoDateTime,
    to: IsoDateTime,
    groupBy: UsageGroupingSchema,
    interval: UsageIntervalSchema.nullable().meta({
      description: '`null`: each row counts the whole range; else one row per period and actor (or action).',
    }),
    rows: z.array(UsageRowSchema.extend({ actor: UsageActorViewSchema.optional() })),
  })
  .meta({ id: 'UsageReport' });
export type UsageReport = z.infer<typeof UsageReportSchema>;

/** A keyed hash of a secret (base64url SHA-256): the secret itself never crosses NATS. */
const KeyHashSchema = z.string().length(43);

export const VerifyKeyRequestSchema = z.strictObject({
  hash: KeyHashSchema,
  previousHashes: z.array(KeyHashSchema).max(8).optional(),
});
export type VerifyKeyRequest = z.infer<typeof VerifyKeyRequestSchema>;

const KeyIdCommand = KeyCommandSchema.extend({ keyId: Uuid });

/** The keys service's subjects: request and reply schemas. */
export const KEYS_RPC = {
  'tessera.keys.key.create': rpc(CreateKeyRequestSchema, IssuedKeySchema),
  'tessera.keys.key.list': rpc(AccountIdRequest, z.array(KeyViewSchema)),
  'tessera.keys.key.revoke': rpc(KeyIdCommand, KeyViewSchema),
  'tessera.keys.key.rotate': rpc(KeyIdCommand.extend({ graceSeconds: GraceSecondsSchema }), IssuedKeySchema),
  /**
   * By the keyed hash of the secret (computed by the caller): the secret itself never crosses NATS. During a
   * rotation of `TESSERA_SECRET_KEY`, `previousHashes` are the hashes under the previous secrets' peppers, in
   * their order; a key found by one of them is stored under `hash` from then on.
   */
  'tessera.keys.key.verify': rpc(VerifyKeyRequestSchema, VerifiedKeySchema),
  'tessera.keys.usage.record': rpc(UsageBatchSchema, z.object({ counted: z.boolean() })),
  'tessera.keys.usage.query': rpc(UsageQuerySchema, z.array(UsageRowSchema)),
};

const KeyEventBase = z.object({ keyId: Uuid, accountId: Uuid, actorUserId: Uuid });

/** The keys service's events: payload schemas. */
export const KEYS_EVENTS = {
  'tessera.events.keys.key.created': KeyEventBase.extend({ name: z.string(), scope: KeyScopeSchema }),
  /** `reason`: set when a policy revoked the key. */
  'tessera.events.keys.key.revoked': KeyEventBase.extend({ reason: z.string().optional() }),
  /** A policy brought the key's expiry forward. */
  'tessera.events.keys.key.expiry_shortened': KeyEventBase.extend({
    expiresAt: IsoDateTime,
    reason: z.string(),
  }),
  'tessera.events.keys.key.rotated': KeyEventBase.extend({ previousSecretValidUntil: IsoDateTime }),
};
