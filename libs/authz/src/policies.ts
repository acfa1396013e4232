import {
  KEY_SCOPES,
  KeyScope,
  PolicySettings,
  SignInMethod,
  TesseraError,
  checkDomainName,
  emailDomain,
} from '@tessera/contracts';

type Setting = keyof PolicySettings;
type ValueOf<K extends Setting> = NonNullable<PolicySettings[K]>;

/** How one setting is read, combined and compared: the only place that knows what "tighter" means for it. */
interface Rule<V> {
  /** The value from a request body; `undefined` when it is not valid (the message says what is). */
  parse(value: unknown): V | undefined;
  expected: string;
  /** The value that applies when both an organization and its team set one. */
  tightest(organization: V, team: V): V;
  looser(team: V, organization: V): boolean;
  /** What the organization's value allows, for a refusal that names it. */
  allows(organization: V): string;
}

const flag: Rule<boolean> = {
  parse: (value) => (typeof value === 'boolean' ? value : undefined),
  expected: 'true or false',
  tightest: (organization, team) => organization || team,
  looser: (team, organization) => organization && !team,
  allows: () => 'it must stay on',
};

function subsetOf<T extends string>(expected: string, item: (value: string) => T | undefined): Rule<T[]> {
  return {
    parse(value) {
      if (!Array.isArray(value) || value.length === 0 || value.length > 100) return undefined;
      const items = value.map((entry) => (typeof entry === 'string' ? item(entry) : undefined));
      return items.every((entry) => entry !== undefined) ? [...new Set(items as T[])].sort() : undefined;
    },
    expected,
    tightest: (organization, team) => organization.filter((entry) => team.includes(entry)),
    looser: (team, organization) => team.some((entry) => !organization.includes(entry)),
    allows: (organization) => `only ${organization.join(', ')}`,
  };
}

function atMost(limit: number, unit: string): Rule<number> {
  return {
    parse: (value) =>
      typeof value === 'number' && Number.isInteger(value) && value >= 1 && value <= limit
        ? value
        : undefined,
    expected: `a whole number of ${unit} from 1 to ${limit}`,
    tightest: Math.min,
    looser: (team, organization) => team > organization,
    allows: (organization) => `at most ${organization} ${unit}`,
  };
}

const SIGN_IN_METHODS: readonly SignInMethod[] = ['github', 'google', 'saml'];
const RULES: { [K in Setting]-?: Rule<ValueOf<K>> } = {
  'sso.enforced': flag,
  'signin.allowedMethods': subsetOf('a list of github, google, saml', (value) =>
    SIGN_IN_METHODS.find((method) => method === value.toLowerCase()),
  ),
  'invitations.allowedDomains': subsetOf('a list of e-mail domains, e.g. ["acme.com"]', (value) => {
    const check = checkDomainName(value);
    return check.valid ? check.domain : undefined;
  }),
  'keys.allowedScopes': subsetOf('a list of API, ADMIN', (value) =>
    KEY_SCOPES.find((scope) => scope === value.toUpperCase()),
  ),
  'keys.maxLifetimeDays': atMost(3650, 'days'),
  'sessions.maxAgeHours': atMost(8760, 'hours'),
  'data.retentionDays': atMost(3650, 'days'),
};

export const POLICY_SETTINGS = Object.keys(RULES) as Setting[];

/**
 * Settings only an organization may set. Sign-in and session rules reach a person's whole account (every
 * sign-in, every session, personal account included), and a team's Admin can make anyone a member by inviting
 * them: an organization is joined as such and governs its members' sign-in on purpose.
 */
export const ORGANIZATION_SETTINGS: readonly Setting[] = [
  'sso.enforced',
  'signin.allowedMethods',
  'sessions.maxAgeHours',
];

/** A request's settings, checked setting by setting; `null` removes a setting. Unknown names are refused. */
export function parsePolicy(input: unknown): PolicySettings {
  if (typeof input !== 'object' || input === null || Array.isArray(input))
    throw new TesseraError('validation_failed', '`settings` must be an object of policy settings.');
  const settings: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(input)) {
    const rule = RULES[name as Setting] as Rule<unknown> | undefined;
    if (!rule)
      throw new TesseraError(
        'validation_failed',
        `Unknown policy setting "${name}". Settings: ${POLICY_SETTINGS.join(', ')}.`,
      );
    if (value === null) continue;
    const parsed = rule.parse(value);
    if (parsed === undefined)
      throw new TesseraError('validation_failed', `${name} must be ${rule.expected}.`);
    settings[name] = parsed;
  }
  return settings as PolicySettings;
}

/** Refuses, naming the setting, a team policy that sets an organization-only setting. */
export function assertSettableBy(kind: 'organization' | 'team', settings: PolicySettings): void {
  if (kind === 'organization') return;
  const name = ORGANIZATION_SETTINGS.find((setting) => settings[setting] !== undefined);
  if (name)
    throw new TesseraError(
      'validation_failed',
      `${name} is an organization setting: a team cannot set it. An Org Admin sets it on the organization.`,
    );
}

/** What applies to a team: each setting at the tightest of its organization's and its own. */
export function tighten(organization: PolicySettings, team: PolicySettings): PolicySettings {
  const effective: Record<string, unknown> = { ...organization, ...team };
  for (const name of POLICY_SETTINGS) {
    const rule = RULES[name] as Rule<unknown>;
    if (organization[name] !== undefined && team[name] !== undefined)
      effective[name] = rule.tightest(organization[name], team[name]);
  }
  return effective as PolicySettings;
}

/** Refuses team settings looser than the organization's, naming the organization's rule. */
export function assertOnlyTightens(organization: PolicySettings, team: PolicySettings): void {
  for (const name of POLICY_SETTINGS) {
    const rule = RULES[name] as Rule<unknown>;
    const [own, parent] = [team[name], organization[name]];
    if (own !== undefined && parent !== undefined && rule.looser(own, parent))
      throw new TesseraError(
        'policy_violation',
        `${name} may only be tightened: the organization's policy allows ${rule.allows(parent)}.`,
      );
  }
}

export interface KeyPolicyBreach {
  rule: 'keys.allowedScopes' | 'keys.maxLifetimeDays';
  message: string;
}

/** Whether a key with this scope and expiry may exist under the policy; which rule it breaks when it may not. */
export function keyPolicyBreach(
  policy: PolicySettings,
  key: { scope: KeyScope; createdAt: Date; expiresAt: Date | null },
): KeyPolicyBreach | undefined {
  const scopes = policy['keys.allowedScopes'];
  if (scopes && !scopes.includes(key.scope))
    return {
      rule: 'keys.allowedScopes',
      message: `keys.allowedScopes: the policy allows only ${scopes.join(', ')} keys.`,
    };
  const days = policy['keys.maxLifetimeDays'];
  if (days && (!key.expiresAt || key.expiresAt.getTime() > key.createdAt.getTime() + days * 86_400_000))
    return {
      rule: 'keys.maxLifetimeDays',
      message: `keys.maxLifetimeDays: keys must expire within ${days} days.`,
    };
  return undefined;
}

/** Whether an e-mail may be invited under the policy. */
export function invitationAllowed(policy: PolicySettings, email: string): boolean {
  const domains = policy['invitations.allowedDomains'];
  if (!domains) return true;
  const domain = emailDomain(email);
  return domain !== undefined && domains.includes(domain);
}
