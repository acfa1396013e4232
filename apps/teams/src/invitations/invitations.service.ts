import { Inject, Injectable } from '@nestjs/common';
import { invitationAllowed } from '@tessera/authz';
import { ServiceConfig } from '@tessera/config';
import {
  AccountView,
  INVITATION_TOKEN_PURPOSE,
  InvitationView,
  InviteReply,
  PolicySettings,
  Role,
  RpcClient,
  TesseraError,
  RpcPayload,
  TeamCommand,
} from '@tessera/contracts';
import { OutboxWriter } from '@tessera/persistence';
import { CONFIG, Keyring, randomToken, sha256 } from '@tessera/runtime';
import { EntityManager } from 'typeorm';
import { v7 as uuidv7 } from 'uuid';
import { Account } from '../accounts/account.entity';
import { AccountsRepository } from '../accounts/accounts.repository';
import { MembershipsRepository } from '../accounts/memberships.repository';
import { TeamsService } from '../teams/teams.service';
import { TeamsErrors } from '../teams.errors';
import { PoliciesService } from '../policies/policies.service';
import { InvitationCancellations } from './invitation-cancellations.service';
import { Invitation } from './invitation.entity';
import { InvitationsRepository } from './invitations.repository';

const TOKEN_PREFIX = 'tsi_';

export interface Inviter {
  userId: string;
  name: string | null;
}

/**
 * Invitations: single-use links (≥256 bits, stored as a hash), one pending per (team, e-mail), expiring. Every
 * change writes its event in the same transaction; the e-mail is sent by notifications from that event.
 */
@Injectable()
export class InvitationsService {
  private readonly keyring: Keyring;

  constructor(
    private readonly invitations: InvitationsRepository,
    private readonly memberships: MembershipsRepository,
    private readonly accounts: AccountsRepository,
    private readonly teams: TeamsService,
    private readonly outbox: OutboxWriter,
    private readonly rpc: RpcClient,
    private readonly policies: PoliciesService,
    private readonly cancellations: InvitationCancellations,
    @Inject(CONFIG) private readonly config: ServiceConfig,
  ) {
    this.keyring = Keyring.fromConfig(config);
  }

  /**
   * Invites an address. One that already has a pending invitation with this role gets it back (`already_invited`,
   * nothing sent); with another role, that invitation is replaced in the same transaction by one with the new role
   * and a fresh link (`role_updated`): the old link is revoked before the new one is e-mailed.
   */
  async create(command: RpcPayload<'tessera.teams.invitation.create'>): Promise<InviteReply> {
    const { email, role } = command;
    if (!(await this.allowedByPolicy(command.accountId))(email)) throw TeamsErrors.domainNotAllowed(email);
    if ((await this.memberEmails(command.accountId)).has(email.toLowerCase()))
      throw TeamsErrors.alreadyMember();
    return this.invitations.transaction(async (manager) => {
      const team = await this.teams.live(manager, command.accountId, true);
      const existing = await this.pending(manager, command.accountId, email);
      if (existing?.role === role) return { ...view(existing), result: 'already_invited' };
      const inviter = await this.inviter(command.actorUserId);
      const invitation = await this.invite(manager, team, inviter, email, role, existing);
      return { ...view(invitation), result: existing ? 'role_updated' : 'invited' };
    });
  }

  /** Whether an address may be invited under the team's effective `invitations.allowedDomains`. */
  async allowedByPolicy(accountId: string): Promise<(email: string) => boolean> {
    const { effective } = await this.policies.get(accountId);
    return (email) => invitationAllowed(effective, email);
  }

  async list(accountId: string): Promise<InvitationView[]> {
    return (await this.listIn([accountId])).map((entry) => entry.invitation);
  }

  /** The pending invitations of several teams (an organization's). */
  async listIn(accountIds: string[]): Promise<{ accountId: string; invitation: InvitationView }[]> {
    const invitations = await this.invitations.listPendingIn(accountIds);
    return invitations.map((invitation) => ({
      accountId: invitation.accountId,
      invitation: view(invitation),
    }));
  }

  async cancel({
    accountId,
    actorUserId,
    invitationId,
  }: TeamCommand & { invitationId: string }): Promise<InvitationView> {
    return this.invitations.transaction(async (manager) => {
      const invitation = await this.pendingById(manager, accountId, invitationId);
      await this.cancellations.cancel(manager, invitation, actorUserId);
      return view({ ...invitation, status: 'cancelled' });
    });
  }

  /** A fresh link: the old invitation is revoked (its link says so) and a new one, with a new id, is sent. */
  async resend({
    accountId,
    actorUserId,
    invitationId,
  }: TeamCommand & { invitationId: string }): Promise<InvitationView> {
    return this.invitations.transaction(async (manager) => {
      const team = await this.teams.live(manager, accountId, true);
      const effective = await this.lockedPolicy(manager, team);
      const old = await this.pendingById(manager, accountId, invitationId);
      // The policy may have changed since the invitation was made: a fresh link only to an address it allows.
      if (!invitationAllowed(effective, old.email)) throw TeamsErrors.domainNotAllowed(old.email);
      return view(
        await this.invite(manager, team, await this.inviter(actorUserId), old.email, old.role, old),
      );
    });
  }

  /**
   * Makes the signed-in user a member with the invited role. Only the invited address may accept; the row is
   * locked, so of two concurrent accepts exactly one wins and the other learns the invitation was used.
   */
  async accept(token: string, userId: string): Promise<AccountView> {
    const user = await this.rpc.request('tessera.identity.user.get', { userId });
    const tokenHash = token.startsWith(TOKEN_PREFIX) ? sha256(token) : null;
    return this.invitations.transaction(async (manager) => {
      const invitations = this.invitations.in(manager);
      const found = tokenHash ? await invitations.findByTokenHash(tokenHash) : null;
      if (!found) throw TeamsErrors.invalidInvitation();
      // Team, then organization, then invitation: the order a move and a policy change take them in, so an
      // accept either sees the new policy or finishes before the change looks at its invitations.
      // An archived team's invitations are revoked with it; any other failure (the database) is not a refusal.
      const team = await this.teams.live(manager, found.accountId, true).catch((error: unknown) => {
        throw error instanceof TesseraError && error.code === 'not_found'
          ? TeamsErrors.invitationRevoked()
          : error;
      });
      const effective = await this.lockedPolicy(manager, team);
      const invitation = await invitations.lock(found.id);
      if (invitation.status === 'accepted') throw TeamsErrors.invitationUsed();
      if (invitation.status === 'cancelled') throw TeamsErrors.invitationRevoked();
      if (invitation.expiresAt <= new Date()) throw TeamsErrors.invitationExpired();
      if (user.email.toLowerCase() !== invitation.email.toLowerCase())
        throw TeamsErrors.invitationEmailMismatch();
      if (!invitationAllowed(effective, invitation.email))
        throw TeamsErrors.domainNotAllowed(invitation.email);

      const memberships = this.memberships.in(manager);
      const existing = await memberships.find(team.id, userId);
      if (!existing) await memberships.add(team.id, userId, invitation.role);
      await invitations.accept(invitation.id, userId);
      const base = { accountId: team.id, actorUserId: userId };
      await this.outbox.add(manager, 'tessera.events.teams.invitation.accepted', {
        ...base,
        invitationId: invitation.id,
        email: invitation.email,
        userId,
        invitedByUserId: invitation.invitedByUserId,
        teamName: team.name,
      });
      if (!existing)
        await this.outbox.add(manager, 'tessera.events.teams.member.added', {
          ...base,
          userId,
          role: invitation.role,
        });
      return { id: team.id, kind: team.kind, name: team.name, role: existing?.role ?? invitation.role };
    });
  }

  /**
   * The team's effective policy, with its organization's row locked against a concurrent policy change (the team's
   * own row must already be locked by the caller).
   */
  private async lockedPolicy(manager: EntityManager, team: Account): Promise<PolicySettings> {
    if (team.organizationId) await this.accounts.in(manager).lockForShare(team.organizationId);
    return (await this.policies.effective(manager, team)).effective;
  }

  /** Lower-cased e-mails of the team's members (asked of identity, which owns them). */
  async memberEmails(accountId: string): Promise<Set<string>> {
    const userIds = await this.memberships.userIdsIn([accountId]);
    if (userIds.length === 0) return new Set();
    const users = await this.rpc.request('tessera.identity.user.get-many', { userIds });
    return new Set(users.map((user) => user.email.toLowerCase()));
  }

  /** The pending, unexpired invitation for this address; an expired one is closed so a new one can be made. */
  async pending(manager: EntityManager, accountId: string, email: string): Promise<Invitation | null> {
    const invitations = this.invitations.in(manager);
    const found = await invitations.lockPendingByEmail(accountId, email);
    if (found && found.expiresAt <= new Date()) {
      await invitations.cancel(found.id);
      return null;
    }
    return found;
  }

  /** Who invites, as the e-mail names them. */
  async inviter(userId: string): Promise<Inviter> {
    const [user] = await this.rpc.request('tessera.identity.user.get-many', { userIds: [userId] });
    return { userId, name: user?.name ?? user?.email ?? null };
  }

  /**
   * Issues a pending invitation (its token stored only as a hash) and writes the event that e-mails its link, in
   * the caller's transaction: `invitation.created`; or, replacing the locked pending invitation `replaced`, which is
   * revoked first and whose address is kept as first written, `invitation.resent` with the same role and
   * `invitation.role_updated` with another.
   */
  async invite(
    manager: EntityManager,
    team: Account,
    inviter: Inviter,
    address: string,
    role: Role,
    replaced: Invitation | null = null,
  ): Promise<Invitation> {
    const invitations = this.invitations.in(manager);
    if (replaced) await invitations.cancel(replaced.id);
    const email = replaced?.email ?? address;
    const token = `${TOKEN_PREFIX}${randomToken(32)}`;
    const invitation = await invitations.add({
      id: uuidv7(),
      accountId: team.id,
      email,
      role,
      tokenHash: sha256(token),
      invitedByUserId: inviter.userId,
      createdAt: new Date(),
      expiresAt: new Date(Date.now() + this.config.invitationTtlDays * 86_400_000),
    });
    const mail = {
      accountId: team.id,
      actorUserId: inviter.userId,
      invitationId: invitation.id,
      email,
      role,
      teamName: team.name,
      invitedByName: inviter.name,
      sealedToken: this.keyring.seal(INVITATION_TOKEN_PURPOSE, token),
      expiresAt: invitation.expiresAt.toISOString(),
    };
    if (!replaced) await this.outbox.add(manager, 'tessera.events.teams.invitation.created', mail);
    else if (replaced.role === role)
      await this.outbox.add(manager, 'tessera.events.teams.invitation.resent', mail);
    else
      await this.outbox.add(manager, 'tessera.events.teams.invitation.role_updated', {
        ...mail,
        previousRole: replaced.role,
        replacedInvitationId: replaced.id,
      });
    return invitation;
  }

  private async pendingById(manager: EntityManager, accountId: string, id: string): Promise<Invitation> {
    const invitation = await this.invitations.in(manager).lockPendingById(accountId, id);
    if (!invitation) throw TeamsErrors.notFound('The invitation');
    return invitation;
  }
}

function view(invitation: Invitation): InvitationView {
  return {
    id: invitation.id,
    email: invitation.email,
    role: invitation.role,
    status: invitation.status,
    invitedByUserId: invitation.invitedByUserId,
    createdAt: invitation.createdAt.toISOString(),
    expiresAt: invitation.expiresAt.toISOString(),
  };
}
