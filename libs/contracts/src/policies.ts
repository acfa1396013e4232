import { z } from 'zod';
import { checkDomainName } from './domain-name';
import { KeyScopeSchema } from './keys';
import { AccountIdRequest, IsoDateTime, rpc, UserIdRequest, Uuid } from './schema';
import { TeamEventBaseSchema } from './teams';

/** Payloads of the teams service's policy subjects. */

export const SIGN_IN_METHODS = ['github', 'google', 'saml'] as const;
export const SignInMethodSchema = z
  .enum(SIGN_IN_METHODS, { error: 'Must be github, google or saml.' })
  .meta({ id: 'SignInMethod' });
export type SignInMethod = z.infer<typeof SignInMethodSchema>;

/** The most entries a list setting takes. */
export const MAX_POLICY_LIST = 100;

/** A list setting: 1 to 100 entries, kept without repeats and sorted, so two versions compare as they read. */
function settingList<T extends string>(item: z.ZodType<T>, expected: string) {
  const message = `Must be a list of ${expected} (1 to ${MAX_POLICY_LIST}).`;
  return z
    .array(item, { error: message })
    .min(1, message)
    .max(MAX_POLICY_LIST, message)
    .overwrite((items) => [...new Set(items)].sort());
}

function wholeNumber(limit: number, unit: string) {
  const message = `Must be a whole number of ${unit} from 1 to ${limit}.`;
  return z.number({ error: message }).int(message).min(1, message).max(limit, message);
}

/** An e-mail domain as Tessera stores and compares it (see `checkDomainName`). */
const PolicyDomainSchema = z
  .string({ error: 'Must be an e-mail domain, e.g. "acme.com".' })
  .superRefine((value, context) => {
    const check = checkDomainName(value);
    if (!check.valid) context.addIssue({ code: 'custom', message: check.problem });
  })
  .overwrite((value) => {
    const check = checkDomainName(value);
    return check.valid ? check.domain : value;
  });

/**
 * Every setting an organization (or a team) may set, with its rule. Absent means "no rule". A team inherits its
 * organization's and may only tighten them. Sign-in and session rules (`sso.enforced`, `signin.allowedMethods`,
 * `sessions.maxAgeHours`) are the organization's alone: a team cannot set them.
 */
const SETTINGS = {
  /** Members whose e-mail is in a verified domain must sign in through the organization's SSO. */
  'sso.enforced': z.boolean({ error: 'Must be true or false.' }),
  'signin.allowedMethods': settingList(SignInMethodSchema, 'github, google, saml'),
  /** Invitations to other e-mail domains are refused. */
  'invitations.allowedDomains': settingList(PolicyDomainSchema, 'e-mail domains, e.g. ["acme.com"]'),
  'keys.allowedScopes': settingList(KeyScopeSchema, 'API, ADMIN'),
  /** Keys must expire within this many days of their creation. */
  'keys.maxLifetimeDays': wholeNumber(3650, 'days'),
  /** Sessions end this many hours after sign-in. */
  'sessions.maxAgeHours': wholeNumber(8760, 'hours'),
  /** Only ADMIN keys (and Admins and Developers) read the team's secrets; API keys are refused `secrets.read`. */
  'secrets.adminKeysOnly': z.boolean({ error: 'Must be true or false.' }),
  /** The default expiry of generated media, for the serving services (returned by the decision point). */
  'data.retentionDays': wholeNumber(3650, 'days'),
};
type Setting = keyof typeof SETTINGS;

export const POLICY_SETTINGS = Object.keys(SETTINGS) as Setting[];

/** A policy document as stored, answered and carried by events. */
export const PolicySettingsSchema = z
  .object(
    Object.fromEntries(POLICY_SETTINGS.map((name) => [name, SETTINGS[name].optional()])) as {
      [K in Setting]: z.ZodOptional<(typeof SETTINGS)[K]>;
    },
  )
  .meta({
    id: 'PolicySettings',
    example: { 'keys.allowedScopes': ['API'], 'keys.maxLifetimeDays': 90, 'sessions.maxAgeHours': 12 },
  });
export type PolicySettings = z.infer<typeof PolicySettingsSchema>;

const NOT_SETTINGS = `\`settings\` must be an object of policy settings: ${POLICY_SETTINGS.join(', ')}.`;

/**
 * A policy as a write sends it: the whole document (settings left out are removed; `null` removes one too).
 * Unknown names are refused, naming them.
 */
export const PolicySettingsInputSchema = z
  .strictObject(
    Object.fromEntries(POLICY_SETTINGS.map((name) => [name, SETTINGS[name].nullish()])) as {
      [K in Setting]: z.ZodOptional<z.ZodNullable<(typeof SETTINGS)[K]>>;
    },
    {
      error: (issue) =>
        issue.code === 'unrecognized_keys'
          ? `Unknown policy setting ${issue.keys.map((key) => `"${key}"`).join(', ')}. Settings: ${POLICY_SETTINGS.join(', ')}.`
          : NOT_SETTINGS,
    },
  )
  .transform((settings): PolicySettings =>
    Object.fromEntries(Object.entries(settings).filter(([, value]) => value !== null && value !== undefined)),
  )
  .meta({ description: 'The whole policy: settings left out (or `null`) are removed.' });

/** One version of an account's own settings. Version 0: nothing was ever set. */
export const PolicyViewSchema = z
  .object({
    accountId: Uuid,
    version: z.number().int().min(0),
    settings: PolicySettingsSchema,
    updatedByUserId: Uuid.nullable(),
    updatedAt: IsoDateTime.nullable(),
  })
  .meta({ id: 'PolicyView' });
export type PolicyView = z.infer<typeof PolicyViewSchema>;

/** What applies to an account: its own settings tightened by its organization's. */
export const EffectivePolicyViewSchema = z
  .object({
    accountId: Uuid,
    own: PolicyViewSchema,
    organization: PolicyViewSchema.nullable(),
    effective: PolicySettingsSchema,
  })
  .meta({ id: 'EffectivePolicyView' });
export type EffectivePolicyView = z.infer<typeof EffectivePolicyViewSchema>;

/** An organization's own settings, as they bear on one of its members. */
export const OrganizationPolicySchema = z.object({ organizationId: Uuid, settings: PolicySettingsSchema });
export type OrganizationPolicy = z.infer<typeof OrganizationPolicySchema>;

/** The version a client read; a write based on another is refused (`version_conflict`). */
export const PolicyVersionSchema = z
  .number({ error: 'Must be the version you read (a whole number).' })
  .int('Must be the version you read (a whole number).')
  .min(0, 'Must be the version you read (a whole number).');

export const PolicyCommandSchema = z.strictObject({
  accountId: Uuid,
  actorUserId: Uuid,
  settings: PolicySettingsInputSchema,
  expectedVersion: PolicyVersionSchema.optional(),
});
/** As the caller sends it; the responder reads the settings as `PolicySettings`. */
export type PolicyCommand = z.input<typeof PolicyCommandSchema>;

/** The policy subjects: request and reply schemas. */
export const POLICIES_RPC = {
  'tessera.teams.policy.get': rpc(AccountIdRequest, EffectivePolicyViewSchema),
  'tessera.teams.policy.set': rpc(PolicyCommandSchema, EffectivePolicyViewSchema),
  'tessera.teams.policy.versions': rpc(AccountIdRequest, z.array(PolicyViewSchema)),
  /** The tightest settings over every organization the user belongs to (as Org Admin or through its teams). */
  'tessera.teams.policy.for-user': rpc(UserIdRequest, PolicySettingsSchema),
  /** The same organizations one by one: sign-in rules name the organization (and its SSO) that refuses. */
  'tessera.teams.policy.organizations-for-user': rpc(UserIdRequest, z.array(OrganizationPolicySchema)),
};

/** The policy events: payload schemas. */
export const POLICIES_EVENTS = {
  /** `affected`: every account whose effective policy this change may alter, with its new effective policy. */
  'tessera.events.teams.policy.changed': TeamEventBaseSchema.extend({
    /** Always someone: a policy is only ever set by a person. */
    actorUserId: Uuid,
    version: z.number().int(),
    settings: PolicySettingsSchema,
    affected: z.array(z.object({ accountId: Uuid, effective: PolicySettingsSchema })),
  }),
};
