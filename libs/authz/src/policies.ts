import {
  KeyScope,
  POLICY_SETTINGS,
  PolicySettings,
  TesseraError,
  ValidationFailedError,
  emailDomain,
} from '@tessera/contracts';

type Setting = keyof PolicySettings;
type ValueOf<K extends Setting> = NonNullable<PolicySettings[K]>;

/**
 * How one setting is combined and compared: the only place that knows what "tighter" means for it. What a valid
 * value is, the settings schema says (`PolicySettingsSchema` in `@tessera/contracts`).
 */
interface Rule<V> {
  /** The value that applies when both an organization and its team set one. */
  tightest(organization: V, team: V): V;
  looser(team: V, organization: V): boolean;
  /** What the organization's value allows, for a refusal that names it. */
  allows(organization: V): string;
}

const flag: Rule<boolean> = {
  tightest: (organization, team) => organization || team,
  looser: (team, organization) => organization && !team,
  allows: () => 'it must stay on',
};

function subset<T extends string>(): Rule<T[]> {
  return {
    tightest: (organization, team) => organization.filter((entry) => team.includes(entry)),
    looser: (team, organization) => team.some((entry) => !organization.includes(entry)),
    allows: (organization) => `only ${organization.join(', ')}`,
  };
}

function atMost(unit: string): Rule<number> {
  return {
    tightest: Math.min,
    looser: (team, organization) => team > organization,
    allows: (organization) => `at most ${organization} ${unit}`,
  };
}

const RULES: { [K in Setting]-?: Rule<ValueOf<K>> } = {
  'sso.enforced': flag,
  'signin.allowedMethods': subset(),
  'invitations.allowedDomains': subset(),
  'keys.allowedScopes': subset(),
  'keys.maxLifetimeDays': atMost('days'),
  'secrets.adminKeysOnly': flag,
  'sessions.maxAgeHours': atMost('hours'),
  'data.retentionDays': atMost('days'),
};

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

/** Refuses, naming the setting, a team policy that sets an organization-only setting. */
export function assertSettableBy(kind: 'organization' | 'team', settings: PolicySettings): void {
  if (kind === 'organization') return;
  const name = ORGANIZATION_SETTINGS.find((setting) => settings[setting] !== undefined);
  if (!name) return;
  const message = 'Only an organization sets this, not a team: an Org Admin sets it on the organization.';
  throw new ValidationFailedError([{ path: `settings.${name}`, message }]);
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

/**
 * What the policy forbids a key that its scope would allow: `secrets.adminKeysOnly` keeps API-scope keys from
 * reading secrets. Answers the refusal's sentence, or undefined when the policy allows it. Members are not keys.
 */
export function keyActionForbidden(
  policy: PolicySettings,
  scope: KeyScope,
  action: string,
): string | undefined {
  if (action === 'secrets.read' && scope !== 'ADMIN' && policy['secrets.adminKeysOnly'])
    return 'secrets.adminKeysOnly: the policy lets only ADMIN keys (and Admins and Developers) read secrets.';
  return undefined;
}

/** Whether an e-mail may be invited under the policy. */
export function invitationAllowed(policy: PolicySettings, email: string): boolean {
  const domains = policy['invitations.allowedDomains'];
  if (!domains) return true;
  const domain = emailDomain(email);
  return domain !== undefined && domains.includes(domain);
}
