import { Command, InvalidArgumentError } from 'commander';
import { DEFAULT_HOST, DEFAULT_PROFILE, Profile, revokeLogin } from '@tessera/client';
import { CliContext } from '../context';
import type { Act } from '../program';
import { UsageError } from '../errors';

const PROFILE_NAME = /^[A-Za-z0-9][\w.-]{0,63}$/;

function profileName(value: string): string {
  if (!PROFILE_NAME.test(value)) throw new InvalidArgumentError('Use 1–64 letters, digits, ".", "_" or "-".');
  return value;
}

function host(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new InvalidArgumentError('Give a URL such as https://tessera.example.com.');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    throw new InvalidArgumentError('The host must be an http:// or https:// URL.');
  return url.origin;
}

async function create(context: CliContext, name: string, options: Record<string, unknown>): Promise<void> {
  const file = await context.home.profiles();
  if (file.profiles[name] && name !== DEFAULT_PROFILE)
    throw new UsageError(`Profile "${name}" exists already: delete it first, or pick another name.`);
  const profile: Profile = {
    host: (options.host as string | undefined) ?? DEFAULT_HOST,
    ...(options.key ? { key: options.key as string } : {}),
  };
  await context.home.saveProfiles({ ...file, profiles: { ...file.profiles, [name]: profile } });
  context.output.result(
    { name, host: profile.host, key: profile.key ? hint(profile.key) : null },
    `Created profile "${name}" for ${profile.host}${profile.key ? ' with an API key' : ''}.\nUse it: tessera profile use ${name}   (or --profile ${name} once)`,
  );
}

function hint(key: string): string {
  return `${key.slice(0, 8)}…${key.slice(-4)}`;
}

async function list(context: CliContext): Promise<void> {
  const file = await context.home.profiles();
  const rows = await Promise.all(
    Object.entries(file.profiles).map(async ([name, profile]) => {
      const host = context.env.host ?? profile.host;
      return {
        name,
        current: name === file.current,
        host,
        key: profile.key ? hint(profile.key) : null,
        loggedIn: (await context.home.login(name))?.host === host,
        team: profile.team ?? null,
      };
    }),
  );
  context.output.list(
    rows,
    [
      { header: '', value: (row) => (row.current ? '*' : '') },
      { header: 'NAME', value: (row) => row.name },
      { header: 'HOST', value: (row) => row.host },
      { header: 'KEY', value: (row) => row.key },
      { header: 'LOGGED IN', value: (row) => (row.loggedIn ? 'yes' : 'no') },
      { header: 'TEAM', value: (row) => row.team },
    ],
    'No profiles.',
  );
}

async function use(context: CliContext, name: string): Promise<void> {
  const file = await context.home.profiles();
  if (!file.profiles[name]) throw new UsageError(`There is no profile "${name}": "tessera profile list".`);
  await context.home.saveProfiles({ ...file, current: name });
  context.output.result({ current: name }, `Commands now use profile "${name}".`);
}

async function remove(context: CliContext, name: string): Promise<void> {
  const file = await context.home.profiles();
  if (!file.profiles[name]) throw new UsageError(`There is no profile "${name}": "tessera profile list".`);
  const login = await context.home.login(name);
  if (login) await revokeLogin(login.host, login.refreshToken).catch(() => undefined);
  await context.home.saveLogin(name, undefined);
  const { [name]: _removed, ...profiles } = file.profiles;
  const current = file.current === name ? DEFAULT_PROFILE : file.current;
  await context.home.saveProfiles({ current, profiles });
  context.output.result({ deleted: name, current }, `Deleted profile "${name}" and its saved login.`);
}

export function registerProfile(program: Command, act: Act): void {
  const profile = program
    .command('profile')
    .description('Named profiles, each with its own host and API key or login (like AWS CLI profiles).');
  profile
    .command('create')
    .argument('<name>', 'profile name', profileName)
    .option('--key <key>', 'an API key this profile uses (instead of a login)')
    .option('--host <url>', `the Tessera address (default ${DEFAULT_HOST})`, host)
    .description('Creates a profile.')
    .addHelpText(
      'after',
      `
A key given here is stored in config.json (mode 0600); TESSERA_KEY still wins over it.

Examples:
  $ tessera profile create staging --host https://tessera.staging.example.com
  $ tessera profile create ci --key "$TESSERA_CI_KEY" --host https://tessera.example.com`,
    )
    .action(act((context, [name], options) => create(context, name, options)));
  profile
    .command('list')
    .description('Lists profiles; * marks the one in use.')
    .addHelpText('after', '\nExample:\n  $ tessera profile list --json')
    .action(act((context) => list(context)));
  profile
    .command('use')
    .argument('<name>', 'profile name')
    .description('Uses this profile for every later command (TESSERA_PROFILE and --profile override it).')
    .addHelpText('after', '\nExample:\n  $ tessera profile use staging')
    .action(act((context, [name]) => use(context, name)));
  profile
    .command('delete')
    .argument('<name>', 'profile name')
    .description('Deletes a profile, signing its saved login out.')
    .addHelpText('after', '\nExample:\n  $ tessera profile delete staging')
    .action(act((context, [name]) => remove(context, name)));
}
