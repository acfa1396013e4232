import { Command } from 'commander';
import { CliContext } from '../context';
import { CommandFailed } from '../errors';
import type { Act } from '../program';

async function check(context: CliContext, action: string, options: Record<string, unknown>): Promise<void> {
  const client = await context.client();
  const decision = await client.check(action, {
    account: options.account as string | undefined,
    record: options.record === true,
  });
  const actor = decision.principal?.actor;
  const who =
    actor?.type === 'key'
      ? `key ${actor.keyId} (${actor.scope})`
      : actor && `member ${actor.userId} (${actor.role})`;
  context.output.result(
    decision,
    decision.allow
      ? `allowed: ${action} for account ${decision.principal?.account.id} as ${who}`
      : `denied: ${action} (${decision.reason}): ${decision.message}`,
  );
  // The decision is printed already: exit 1 without repeating it.
  if (!decision.allow) throw new CommandFailed('');
}

export function registerAuthz(program: Command, act: Act): void {
  program
    .command('authz')
    .description('Ask the policy decision point about the credential in use.')
    .command('check')
    .argument('<action>', 'an action such as models.call, apps.deploy, platform.admin')
    .option('--account <id>', 'the account the request is for (default: the credential’s own)')
    .option('--record', "count the request in the account's usage")
    .description('May the current credential do this action? Exit code 0 if allowed, 1 if denied.')
    .addHelpText(
      'after',
      `
Examples:
  $ TESSERA_KEY=tsk_… tessera authz check models.call
  $ tessera authz check apps.deploy --json`,
    )
    .action(act((context, [action], options) => check(context, action, options)));
}
