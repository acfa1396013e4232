import { Command } from 'commander';
import type { InvitationView } from '@tessera/contracts';
import { CliContext } from '../context';
import { pick } from '../lookup';
import { date } from '../output';
import type { Act } from '../program';

async function pending(context: CliContext, teamId: string): Promise<InvitationView[]> {
  return (await context.client()).invitations(teamId);
}

async function find(context: CliContext, teamId: string, reference: string): Promise<InvitationView> {
  return pick(
    await pending(context, teamId),
    reference,
    { id: (invitation) => invitation.id, label: (invitation) => invitation.email },
    'pending invitation',
    'tessera invitations list',
  );
}

async function list(context: CliContext): Promise<void> {
  context.output.list(
    await pending(context, await context.accountId()),
    [
      { header: 'ID', value: (invitation) => invitation.id },
      { header: 'EMAIL', value: (invitation) => invitation.email },
      { header: 'ROLE', value: (invitation) => invitation.role },
      { header: 'SENT', value: (invitation) => date(invitation.createdAt) },
      { header: 'EXPIRES', value: (invitation) => date(invitation.expiresAt) },
    ],
    'No pending invitations.',
  );
}

async function cancel(context: CliContext, reference: string): Promise<void> {
  const teamId = await context.accountId();
  const invitation = await find(context, teamId, reference);
  const cancelled = await (await context.client()).cancelInvitation(teamId, invitation.id);
  context.output.result(
    cancelled,
    `Cancelled the invitation of ${cancelled.email}; its link no longer works.`,
  );
}

async function resend(context: CliContext, reference: string): Promise<void> {
  const teamId = await context.accountId();
  const invitation = await find(context, teamId, reference);
  const fresh = await (await context.client()).resendInvitation(teamId, invitation.id);
  context.output.result(
    fresh,
    `Sent ${fresh.email} a fresh link (invitation ${fresh.id}); the previous link no longer works.`,
  );
}

export function registerInvitations(program: Command, act: Act): void {
  const invitations = program
    .command('invitations')
    .description("The active team's pending invitations (Admin).");
  invitations
    .command('list')
    .description('Lists pending invitations.')
    .addHelpText('after', '\nExamples:\n  $ tessera invitations list\n  $ tessera invitations list --json')
    .action(act((context) => list(context)));
  invitations
    .command('cancel')
    .argument('<invitation>', 'invitation id or e-mail')
    .description('Cancels an invitation; its link stops working.')
    .addHelpText('after', '\nExample:\n  $ tessera invitations cancel alice@company.com')
    .action(act((context, [invitation]) => cancel(context, invitation)));
  invitations
    .command('resend')
    .argument('<invitation>', 'invitation id or e-mail')
    .description('Sends a fresh link (a new invitation id); the old link stops working.')
    .addHelpText('after', '\nExample:\n  $ tessera invitations resend alice@company.com')
    .action(act((context, [invitation]) => resend(context, invitation)));
}
