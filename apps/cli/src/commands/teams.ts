import { Command } from 'commander';
import { CliContext } from '../context';
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

async function create(context: CliContext, teamName: string): Promise<void> {
  const team = await (await context.client()).createTeam(teamName);
  context.output.result(
    team,
    `Created team ${team.name} (${team.id}); you are its Admin.\nSwitch to it: tessera teams set ${team.id}`,
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
    .description('Creates a team; you become its Admin.')
    .addHelpText('after', '\nExample:\n  $ tessera teams create "Research"')
    .action(act((context, [name]) => create(context, name)));
}
