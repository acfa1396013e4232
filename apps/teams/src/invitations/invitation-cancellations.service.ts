import { Injectable } from '@nestjs/common';
import { invitationAllowed } from '@tessera/authz';
import { PolicySettings } from '@tessera/contracts';
import { OutboxWriter } from '@tessera/persistence';
import { EntityManager } from 'typeorm';
import { Invitation } from './invitation.entity';
import { InvitationsRepository } from './invitations.repository';

/**
 * Ends pending invitations, with the `invitation.cancelled` event, one at a time (someone cancels one) or all those
 * a new effective policy no longer allows (its `invitations.allowedDomains` changed, or the team moved into an
 * organization that has one). It runs inside the transaction that changes the policy or moves the team, so a
 * link to an address the policy refuses never outlives that change.
 */
@Injectable()
export class InvitationCancellations {
  constructor(
    private readonly invitations: InvitationsRepository,
    private readonly outbox: OutboxWriter,
  ) {}

  /** The invitation must be locked and pending. */
  async cancel(manager: EntityManager, invitation: Invitation, actorUserId: string): Promise<void> {
    await this.invitations.in(manager).cancel(invitation.id);
    await this.outbox.add(manager, 'tessera.events.teams.invitation.cancelled', {
      accountId: invitation.accountId,
      actorUserId,
      invitationId: invitation.id,
      email: invitation.email,
    });
  }

  /** Cancels every pending invitation of these accounts that their new effective policy does not allow. */
  async cancelOutsidePolicy(
    manager: EntityManager,
    accounts: { accountId: string; effective: PolicySettings }[],
    actorUserId: string,
  ): Promise<void> {
    const restricted = new Map(
      accounts
        .filter(({ effective }) => effective['invitations.allowedDomains'] !== undefined)
        .map(({ accountId, effective }) => [accountId, effective]),
    );
    if (restricted.size === 0) return;
    const pending = await this.invitations.in(manager).lockPendingIn([...restricted.keys()]);
    for (const invitation of pending)
      if (!invitationAllowed(restricted.get(invitation.accountId)!, invitation.email))
        await this.cancel(manager, invitation, actorUserId);
  }
}
