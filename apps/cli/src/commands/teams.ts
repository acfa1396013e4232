import { Command } from 'commander';
import { CliContext } from '../context';
import { UsageError } from '../errors';
import type { Act } from '../program';

async function list(context: CliContext): Promise<void> {
  const client = await context.client();
  const [accounts, active] = await Promise.all([client.accounts(), context.accountId()]);
  context.output.list(
    accounts.map((account) => ({ ...account, active: account.id === active })),
    [
      { header: '', value: (account) => (account.active ? '*' : '') },
      { header: 'ID', value: (account) => account.id },
      { header: 'NAME', value: (account) => account.name },
      { header: 'KIND', value: (account) => account.kind },
      { header: 'ROLE', value: (account) => account.role },
    ],
    'You belong to no account yet.',
  );
}

async function set(context: CliContext, reference: string): Promise<void> {
  const { name } = await context.profile();
  const account = await context.findAccount(await context.client(), reference);
  await context.home.updateProfile(name, (profile) => ({ ...profile, team: account.id }));
  context.output.result(
    account,
    `Commands of profile "${name}" now act for ${account.name} (${account.kind}, ${account.id}).`,
  );
}

/** Creates a team and, unless `--no-switch`, makes it the profile's active team, as the console switches to it. */
async function create(
  context: CliContext,
  teamName: string,
  options: Record<string, unknown>,
): Promise<void> {
  const team = await (await context.client()).createTeam(teamName);
  const created = `Created team ${team.name} (${team.id}); you are its Admin.`;
  if (options.switch === false)
    return context.output.result(team, `${created}\nSwitch to it: tessera teams set ${team.id}`);
  const { name } = await context.profile();
  await context.home.updateProfile(name, (profile) => ({ ...profile, team: team.id }));
  context.output.result(team, `${created}\nCommands of profile "${name}" now act for ${team.name}.`);
}

/**
 * Archives a team for good. When it was the profile's active team, the profile falls back to the personal account
 * (found before archiving: requests acting for an archived team are refused).
 */
async function archive(context: CliContext, reference: string): Promise<void> {
  const client = await context.client();
  const team = await context.findAccount(client, reference);
  if (team.kind !== 'team')
    throw new UsageError(`${team.name} is not a team (${team.kind}): only teams are archived.`);
  const { name, profile } = await context.profile();
  const fallback = profile.team === team.id ? await context.findAccount(client, 'personal') : undefined;
  const archived = await client.archiveTeam(team.id);
  if (fallback) await context.home.updateProfile(name, (current) => ({ ...current, team: fallback.id }));
  context.output.result(
    archived,
    [
      `Archived team ${archived.name} (${archived.id}): it leaves every list and its keys stop working; its data is kept.`,
      ...(fallback ? [`Commands of profile "${name}" now act for ${fallback.name} (personal).`] : []),
    ].join('\n'),
  );
}

export function registerTeams(program: Command, act: Act): void {
  const teams = program
    .command('teams')
    .description('List your teams, create one, and choose the one commands act for.');
  teams
    .command('list')
    .description('Lists the accounts you can act for (personal first); * marks the active one.')
    .addHelpText('after', '\nExamples:\n  $ tessera teams list\n  $ tessera teams list --json')
    .action(act((context) => list(context)));
  teams
    .command('set')
    .argument('<team>', 'team id, team name, or "personal"')
    .description('Makes a team the active account for every later command of this profile.')
    .addHelpText(
      'after',
      '\nExamples:\n  $ tessera teams set Research\n  $ tessera teams set personal\n  $ tessera members list --team Research   # once, without changing it',
    )
    .action(act((context, [team]) => set(context, team)));
  teams
    .command('create')
    .argument('<name>', 'the team name (1–64 characters)')
    .option('--no-switch', 'keep acting for the current team')
    .description('Creates a team; you become its Admin, and it becomes the active team.')
    .addHelpText(
      'after',
      '\nExamples:\n  $ tessera teams create "Research"\n  $ tessera teams create "Staging" --no-switch --json',
    )
    .action(act((context, [name], options) => create(context, name, options)));
  teams
    .command('archive')
    .argument('<team>', 'team id or team name')
    .description('Archives a team for good (Admin): it leaves every list and its keys stop working.')
    .addHelpText(
      'after',
      `
The team's data is kept, but it cannot be restored from the CLI. If it was the active team, the profile
switches to your personal account.

Examples:
  $ tessera teams archive "Old project"
  $ tessera teams archive 01a245da-f2a8-7393-8e5f-53776ebf3ec8 --json`,
    )
    .action(act((context, [team]) => archive(context, team)));
}
