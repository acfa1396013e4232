import { Command, InvalidArgumentError } from 'commander';
import { POLICY_SETTINGS, PolicySettingsInputSchema } from '@tessera/contracts';
import type { ApiSchemas } from '@tessera/client';
import { CliContext } from '../context';
import { UsageError } from '../errors';
import { inputName, readInput } from '../input';
import { date } from '../output';
import type { Act } from '../program';
import { ORG_ARGUMENT, organizationId } from './org-reference';

type Settings = Record<string, unknown>;

/** `--set name=value`: `true`/`false`, a whole number, or a comma-separated list (every setting is one of those). */
export function settingAssignment(
  assignment: string,
  previous: [string, unknown][] = [],
): [string, unknown][] {
  const equals = assignment.indexOf('=');
  if (equals < 1) throw new InvalidArgumentError('Write it as name=value, e.g. keys.maxLifetimeDays=90.');
  const name = assignment.slice(0, equals).trim();
  const raw = assignment.slice(equals + 1).trim();
  const value =
    raw === 'true' || raw === 'false'
      ? raw === 'true'
      : /^\d+$/.test(raw)
        ? Number(raw)
        : raw
            .split(',')
            .map((item) => item.trim())
            .filter((item) => item !== '');
  return [...previous, [name, value]];
}

/** A name given to `--set` or `--unset` must be a setting: unsetting a misspelt one would do nothing, silently. */
function knownSetting(name: string): void {
  if (!(POLICY_SETTINGS as string[]).includes(name))
    throw new UsageError(`Unknown policy setting "${name}". Settings: ${POLICY_SETTINGS.join(', ')}.`);
}

function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

/** A setting as people read it: a list comma-separated; `-` (from the table) when it is not set. */
function settingText(value: unknown): string | undefined {
  if (value === undefined) return undefined;
  return Array.isArray(value) ? value.join(', ') : String(value);
}

/** The policy setting by setting, with who set its version: an Org Admin, named by e-mail while they still are one. */
async function show(
  context: CliContext,
  orgId: string,
  policy: ApiSchemas['EffectivePolicyView'],
): Promise<void> {
  if (context.output.json) return context.output.data(policy);
  const { version, settings, updatedAt, updatedByUserId } = policy.own;
  if (version === 0) context.output.line('Version 0: no setting was ever set.');
  else {
    const admins = await (await context.client()).orgAdmins(orgId);
    const author = admins.find((admin) => admin.userId === updatedByUserId);
    context.output.line(
      `Version ${version}, set ${date(updatedAt)} by ${author?.email ?? `user ${updatedByUserId ?? '-'}`}.`,
    );
  }
  const values = settings as Settings;
  context.output.list(
    POLICY_SETTINGS.map((setting) => ({ setting, value: values[setting] })),
    [
      { header: 'SETTING', value: (row) => row.setting },
      { header: 'VALUE', value: (row) => settingText(row.value) },
    ],
    '',
  );
}

async function get(context: CliContext, reference: string): Promise<void> {
  const orgId = await organizationId(context, reference);
  await show(context, orgId, await (await context.client()).orgPolicy(orgId));
}

async function fileSettings(file: string): Promise<Settings> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(await readInput(file));
  } catch (error) {
    if (error instanceof UsageError) throw error;
    throw new UsageError(`${inputName(file)} is not JSON: ${(error as Error).message}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    throw new UsageError(
      `${inputName(file)} must hold a JSON object of settings, e.g. {"keys.maxLifetimeDays": 90}.`,
    );
  return parsed as Settings;
}

/**
 * The whole document to write: the file's (replacing everything), else the current one, with `--set` and `--unset`
 * applied. Edits of the current document send the version read, so a concurrent change is refused, not overwritten.
 */
async function set(context: CliContext, reference: string, options: Record<string, unknown>): Promise<void> {
  const file = options.file as string | undefined;
  const assignments = (options.set as [string, unknown][] | undefined) ?? [];
  const removals = (options.unset as string[] | undefined) ?? [];
  if (file === undefined && assignments.length === 0 && removals.length === 0)
    throw new UsageError('Give --file <policy.json>, or --set name=value / --unset name.');
  const orgId = await organizationId(context, reference);
  const client = await context.client();
  let settings: Settings;
  let version = options.expectVersion as number | undefined;
  if (file !== undefined) settings = await fileSettings(file);
  else {
    const current = (await client.orgPolicy(orgId)).own;
    settings = { ...current.settings };
    version ??= current.version;
  }
  for (const name of [...assignments.map(([name]) => name), ...removals]) knownSetting(name);
  for (const [name, value] of assignments) settings[name] = value;
  for (const name of removals) delete settings[name];
  const checked = PolicySettingsInputSchema.safeParse(settings);
  if (!checked.success)
    throw new UsageError(
      checked.error.issues
        .map((issue) => (issue.path.length > 0 ? `${issue.path.join('.')}: ${issue.message}` : issue.message))
        .join('\n'),
    );
  const written = await client.setOrgPolicy(orgId, { settings: checked.data, version });
  await show(context, orgId, written);
  context.output.note('Keys and sessions that break the new policy stop working within a second.');
}

function version(value: string): number {
  if (!/^\d+$/.test(value)) throw new InvalidArgumentError('Give the version you read (a whole number).');
  return Number(value);
}

export function registerOrgPolicies(orgs: Command, act: Act): void {
  const policies = orgs
    .command('policies')
    .description("The organization's policy: the rules every team of it inherits (Org Admins).")
    .addHelpText(
      'after',
      '\nExamples:\n  $ tessera orgs policies get Acme\n  $ tessera orgs policies set Acme --set keys.allowedScopes=API',
    );
  policies
    .command('get')
    .argument('<org>', ORG_ARGUMENT)
    .description("Shows the organization's policy, setting by setting, and its version.")
    .addHelpText(
      'after',
      `
Examples:
  $ tessera orgs policies get Acme
  $ tessera orgs policies get Acme --json | jq .own.settings > policy.json`,
    )
    .action(act((context, [org]) => get(context, org)));
  policies
    .command('set')
    .argument('<org>', ORG_ARGUMENT)
    .option(
      '--file <file>',
      'the whole policy: a JSON object of settings (- reads stdin); left out = removed',
    )
    .option(
      '--set <name=value>',
      'change one setting of the current policy (repeatable); lists are comma-separated',
      settingAssignment,
    )
    .option('--unset <name>', 'remove one setting from the current policy (repeatable)', collect)
    .option(
      '--expect-version <n>',
      'refuse (version_conflict) if the policy is no longer at this version',
      version,
    )
    .description('Replaces the policy with a file, or changes settings of the current one.')
    .addHelpText(
      'after',
      `
Settings: ${POLICY_SETTINGS.join(', ')}.
Values: true/false, a whole number, or a comma-separated list. --set and --unset send the version they
read, so a change made meanwhile by someone else is refused (exit 1), never overwritten.

Examples:
  $ tessera orgs policies set Acme --set keys.allowedScopes=API --set keys.maxLifetimeDays=90
  $ tessera orgs policies set Acme --unset sessions.maxAgeHours
  $ tessera orgs policies set Acme --file policy.json --expect-version 3
  $ echo '{"sso.enforced": true}' | tessera orgs policies set Acme --file -`,
    )
    .action(act((context, [org], options) => set(context, org, options)));
}
