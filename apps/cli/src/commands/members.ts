import { Argument, Command, InvalidArgumentError, Option } from 'commander';
import { RoleSchema, type MemberView, type Role } from '@tessera/contracts';
import type { ApiSchemas } from '@tessera/client';
import { CliContext } from '../context';
import { CommandFailed, UsageError } from '../errors';
import { inputName, readInput } from '../input';
import { pick } from '../lookup';
import { date } from '../output';
import type { Act } from '../program';

/**
 * Rows refused for what they say; `already_member` and `already_invited` are not failures (inviting is idempotent),
 * nor is `role_updated` (the pending invitation took the row's role, with a fresh link).
 */
const REFUSED_ROWS = new Set(['invalid_email', 'invalid_role', 'duplicate_in_batch', 'domain_not_allowed']);

export function role(value: string): Role {
  const parsed = RoleSchema.safeParse(value.toLowerCase());
  if (!parsed.success) throw new InvalidArgumentError('The role is admin, developer or billing.');
  return parsed.data;
}

async function findMember(context: CliContext, teamId: string, reference: string): Promise<MemberView> {
  const members = await (await context.client()).members(teamId);
  return pick(
    members,
    reference,
    { id: (member) => member.userId, label: (member) => member.email },
    'member',
    'tessera members list',
  );
}

async function list(context: CliContext): Promise<void> {
  const members = await (await context.client()).members(await context.accountId());
  context.output.list(
    members,
    [
      { header: 'USER ID', value: (member) => member.userId },
      { header: 'EMAIL', value: (member) => member.email },
      { header: 'NAME', value: (member) => member.name },
      { header: 'ROLE', value: (member) => member.role },
      { header: 'JOINED', value: (member) => date(member.joinedAt) },
    ],
    'No members.',
  );
}

async function invite(context: CliContext, email: string | undefined, options: Record<string, unknown>) {
  const csvFile = options.csv as string | undefined;
  if (csvFile !== undefined) {
    if (email !== undefined) throw new UsageError('Give an e-mail, or --csv <file>, not both.');
    return inviteCsv(context, csvFile, options.dryRun === true);
  }
  if (email === undefined) throw new UsageError('Give the e-mail to invite, or --csv <file>.');
  if (options.role === undefined) throw new UsageError('Give the role: --role admin|developer|billing.');
  const invitation = await (
    await context.client()
  ).invite(await context.accountId(), { email, role: options.role as Role });
  context.output.result(invitation, INVITE_OUTCOMES[invitation.result](invitation));
}

/** What inviting did, in a sentence: a first link, nothing (already pending with that role), or a fresh link. */
const INVITE_OUTCOMES: Record<
  ApiSchemas['InviteReply']['result'],
  (invitation: ApiSchemas['InviteReply']) => string
> = {
  invited: ({ email, role, expiresAt }) =>
    `Invited ${email} as ${role}; the link in the e-mail works until ${date(expiresAt)}.`,
  already_invited: ({ email, role }) =>
    `${email} already has a pending invitation as ${role}; nothing was sent.`,
  role_updated: ({ email, role, expiresAt }) =>
    `The pending invitation of ${email} is now for ${role}: a fresh link was sent (it works until ${date(expiresAt)}); the earlier link no longer works.`,
};

async function inviteCsv(context: CliContext, file: string, dryRun: boolean): Promise<void> {
  const csv = await readInput(file);
  const rows = csv.split(/\r?\n/).filter((line) => line.trim() !== '').length - 1;
  const teamId = await context.accountId();
  const progress = context.output.progress(
    `${dryRun ? 'Checking' : 'Inviting'} ${rows} row${rows === 1 ? '' : 's'} of ${inputName(file)}…`,
  );
  let reply: ApiSchemas['BulkInviteReply'];
  try {
    reply = await (await context.client()).inviteCsv(teamId, csv, { dryRun });
  } catch (error) {
    progress.fail('Nothing was sent.');
    throw error;
  }
  const summary = Object.entries(reply.summary)
    .filter(([, count]) => count > 0)
    .map(([result, count]) => `${count} ${result.replaceAll('_', ' ')}`)
    .join(', ');
  progress.done(`${dryRun ? 'Dry run: ' : ''}${summary || 'no rows'}.`);
  context.output.list(
    reply.results,
    [
      { header: 'LINE', value: (row) => row.line },
      { header: 'EMAIL', value: (row) => row.email },
      { header: 'ROLE', value: (row) => row.role },
      { header: 'RESULT', value: (row) => row.result },
    ],
    'The file has no rows.',
  );
  const refused = reply.results.filter((row) => REFUSED_ROWS.has(row.result));
  if (refused.length > 0)
    throw new CommandFailed(
      `${refused.length} of ${reply.results.length} rows were refused (line ${refused.map((row) => row.line).join(', ')}).`,
    );
}

async function setRole(context: CliContext, user: string, newRole: Role): Promise<void> {
  const teamId = await context.accountId();
  const member = await findMember(context, teamId, user);
  const changed = await (await context.client()).setRole(teamId, member.userId, newRole);
  context.output.result(changed, `${changed.email ?? changed.userId} is now ${changed.role}.`);
}

async function remove(context: CliContext, user: string): Promise<void> {
  const teamId = await context.accountId();
  const member = await findMember(context, teamId, user);
  await (await context.client()).removeMember(teamId, member.userId);
  context.output.result(
    { removed: member.userId },
    `Removed ${member.email ?? member.userId}; their access ended at once.`,
  );
}

export function registerMembers(program: Command, act: Act): void {
  const members = program.command('members').description("The active team's members and their roles.");
  members
    .command('list')
    .description('Lists members with their roles.')
    .addHelpText(
      'after',
      '\nExamples:\n  $ tessera members list\n  $ tessera members list --team Research --json',
    )
    .action(act((context) => list(context)));
  members
    .command('invite')
    .argument('[email]', 'the e-mail to invite (or use --csv)')
    .addOption(new Option('--role <role>', 'admin, developer or billing').argParser(role))
    .option(
      '--csv <file>',
      'invite everyone in a CSV with the header email,role (at most 50 rows; - reads stdin)',
    )
    .option('--dry-run', 'with --csv: check every row, invite no one')
    .description('Invites people by e-mail, one, or many from a CSV (Admin).')
    .addHelpText(
      'after',
      `
Inviting an address that has a pending invitation with another role gives it the new role and e-mails a
fresh link (role_updated); the earlier link stops working. With the same role nothing is sent (already_invited).
With --csv, every row gets a result; the exit code is 1 if any row was refused.

Examples:
  $ tessera members invite alice@company.com --role developer
  $ tessera members invite --csv people.csv --dry-run
  $ tessera members invite --csv people.csv`,
    )
    .action(act((context, [email], options) => invite(context, email, options)));
  members
    .command('role')
    .argument('<user>', 'user id or e-mail')
    .addArgument(new Argument('<role>', 'admin, developer or billing').argParser(role))
    .description("Changes a member's role (Admin).")
    .addHelpText('after', '\nExample:\n  $ tessera members role bob@company.com billing')
    .action(act((context, [user, newRole]) => setRole(context, user, newRole as Role)));
  members
    .command('remove')
    .argument('<user>', 'user id or e-mail')
    .description('Removes a member (Admin); their access ends at once.')
    .addHelpText('after', '\nExample:\n  $ tessera members remove bob@company.com')
    .action(act((context, [user]) => remove(context, user)));
}
