import { Command } from 'commander';
import { CliContext } from '../context';
import { date } from '../output';
import type { Act } from '../program';
import { registerOrgDomains } from './org-domains';
import { registerOrgPolicies } from './org-policies';
import { ORG_ARGUMENT, organizationId } from './org-reference';
import { registerOrgSso } from './org-sso';

async function list(context: CliContext): Promise<void> {
  const accounts = await (await context.client()).accounts();
  const organizations = accounts
    .filter((account) => account.kind === 'organization')
    .map((organization) => ({
      ...organization,
      teams: accounts.filter((account) => account.organizationId === organization.id).length,
    }));
  context.output.list(
    organizations,
    [
      { header: 'ID', value: (organization) => organization.id },
      { header: 'NAME', value: (organization) => organization.name },
      { header: 'TEAMS', value: (organization) => organization.teams },
    ],
    'You are an Org Admin of no organization.',
  );
}

async function teams(context: CliContext, reference: string): Promise<void> {
  const orgId = await organizationId(context, reference);
  const rows = await (await context.client()).orgTeams(orgId);
  context.output.list(
    rows,
    [
      { header: 'ID', value: (team) => team.id },
      { header: 'NAME', value: (team) => team.name },
      { header: 'MEMBERS', value: (team) => team.members },
      { header: 'PENDING INVITATIONS', value: (team) => team.pendingInvitations },
      { header: 'CREATED', value: (team) => date(team.createdAt) },
    ],
    'The organization has no teams yet.',
  );
}

async function members(context: CliContext, reference: string): Promise<void> {
  const orgId = await organizationId(context, reference);
  const rows = await (await context.client()).orgMembers(orgId);
  context.output.list(
    rows,
    [
      { header: 'TEAM', value: (member) => member.teamName },
      { header: 'USER ID', value: (member) => member.userId },
      { header: 'EMAIL', value: (member) => member.email },
      { header: 'NAME', value: (member) => member.name },
      { header: 'ROLE', value: (member) => member.role },
      { header: 'JOINED', value: (member) => date(member.joinedAt) },
    ],
    'The teams of the organization have no members.',
  );
}

export function registerOrgs(program: Command, act: Act): void {
  const orgs = program
    .command('orgs')
    .description(
      'Organizations you are an Org Admin of: their teams, members, policy, domains and single sign-on.',
    )
    .addHelpText(
      'after',
      `
An organization is named by its id or its name; only its Org Admins get answers.

Examples:
  $ tessera orgs list
  $ tessera orgs members Acme
  $ tessera orgs policies set Acme --set keys.maxLifetimeDays=90
  $ tessera orgs domains add Acme acme.com
  $ tessera orgs sso test Acme Okta`,
    );
  orgs
    .command('list')
    .description('Lists the organizations you are an Org Admin of, with how many teams each has.')
    .addHelpText('after', '\nExamples:\n  $ tessera orgs list\n  $ tessera orgs list --json')
    .action(act((context) => list(context)));
  orgs
    .command('teams')
    .argument('<org>', ORG_ARGUMENT)
    .description('Lists every team of the organization, with member and pending-invitation counts.')
    .addHelpText('after', '\nExamples:\n  $ tessera orgs teams Acme\n  $ tessera orgs teams Acme --json')
    .action(act((context, [org]) => teams(context, org)));
  orgs
    .command('members')
    .argument('<org>', ORG_ARGUMENT)
    .description('Lists every member of every team of the organization, with the team and their role in it.')
    .addHelpText(
      'after',
      "\nExamples:\n  $ tessera orgs members Acme\n  $ tessera orgs members Acme --json | jq -r '.[].email' | sort -u",
    )
    .action(act((context, [org]) => members(context, org)));
  registerOrgPolicies(orgs, act);
  registerOrgDomains(orgs, act);
  registerOrgSso(orgs, act);
}
