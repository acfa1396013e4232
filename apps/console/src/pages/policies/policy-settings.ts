import type { Schemas } from '../../api/client';

export type PolicySettings = Schemas['PolicySettings'];
export type Setting = keyof PolicySettings;

interface Described {
  /** What a person reads on the field. */
  label: string;
  /** What it does when set, and what leaving it empty means. */
  help: string;
  /** Sign-in and session rules reach a person's whole account: only an organization sets them. */
  organizationOnly?: boolean;
}

export type SettingDescription = Described &
  (
    | { kind: 'flag' }
    | { kind: 'number'; unit: string; max: number }
    | { kind: 'choices'; options: readonly { value: string; label: string }[] }
    | { kind: 'domains' }
  );

/**
 * Every policy setting in plain words, in the order the form shows them. The limits and choices are the API's
 * (`PolicySettings` in the OpenAPI document); `satisfies` makes a setting the API adds fail to type-check here
 * until it is described.
 */
export const SETTINGS = {
  'keys.maxLifetimeDays': {
    kind: 'number',
    label: 'Maximum API key lifetime',
    unit: 'days',
    max: 3650,
    help: "New keys must expire within this many days of their creation; existing keys' expiry is brought forward. Empty: no limit.",
  },
  'keys.allowedScopes': {
    kind: 'choices',
    label: 'Allowed API key scopes',
    options: [
      { value: 'API', label: 'API: call models and endpoints' },
      { value: 'ADMIN', label: 'ADMIN: also deploy, run and manage apps' },
    ] satisfies { value: Schemas['KeyScope']; label: string }[],
    help: 'New keys of another scope are refused and existing ones are revoked. All checked: no limit.',
  },
  'secrets.adminKeysOnly': {
    kind: 'flag',
    label: 'Only ADMIN keys read secrets',
    help: "Apps running with an API-scope key cannot read the team's secrets; ADMIN keys and members still can.",
  },
  'invitations.allowedDomains': {
    kind: 'domains',
    label: 'Invitation e-mail domains',
    help: 'Invitations to other e-mail domains are refused, and pending ones cancelled. Empty: any domain.',
  },
  'data.retentionDays': {
    kind: 'number',
    label: 'Data retention',
    unit: 'days',
    max: 3650,
    help: 'How long generated media is kept by default, for the services that serve it. Empty: no limit.',
  },
  'signin.allowedMethods': {
    kind: 'choices',
    organizationOnly: true,
    label: 'Allowed sign-in methods',
    options: [
      { value: 'github', label: 'GitHub' },
      { value: 'google', label: 'Google' },
      { value: 'saml', label: 'Single sign-on (SAML)' },
    ] satisfies { value: Schemas['SignInMethod']; label: string }[],
    help: "Members' sign-in by another method is refused. All checked: no limit.",
  },
  'sessions.maxAgeHours': {
    kind: 'number',
    organizationOnly: true,
    label: 'Maximum session length',
    unit: 'hours',
    max: 8760,
    help: "Members' sessions end this many hours after sign-in; older sessions end now. Empty: no limit.",
  },
  'sso.enforced': {
    kind: 'flag',
    organizationOnly: true,
    label: 'Require single sign-on',
    help: "Members whose e-mail is in a verified domain must sign in through the organization's single sign-on.",
  },
} as const satisfies Record<Setting, SettingDescription>;

export const ALL_SETTINGS = Object.keys(SETTINGS) as Setting[];

/** The settings a team may set: every one but the organization's own. */
export const TEAM_SETTINGS = ALL_SETTINGS.filter(
  (name) => !(SETTINGS[name] as SettingDescription).organizationOnly,
);

export function describeSetting(name: Setting): SettingDescription {
  return SETTINGS[name];
}

/** A setting's value in words, e.g. "90 days" or "API". */
export function describeValue(name: Setting, value: PolicySettings[Setting]): string {
  const setting = describeSetting(name);
  if (setting.kind === 'flag') return value ? 'On' : 'Off';
  if (setting.kind === 'number') return `${String(value)} ${setting.unit}`;
  const entries = value as readonly string[];
  if (setting.kind === 'domains') return entries.join(', ');
  return entries
    .map((entry) => setting.options.find((option) => option.value === entry)?.label.split(':')[0] ?? entry)
    .join(', ');
}
