import {
  BulkInviteReply,
  INVITATION_TOKEN_PURPOSE,
  RpcClient,
  TesseraError,
  UserSummary,
} from '@tessera/contracts';
import { CONFIG, Keyring } from '@tessera/runtime';
import { RpcStandIn, ServiceTestDatabase } from '@tessera/testing';
import { TestingModule } from '@nestjs/testing';
import { randomUUID } from 'node:crypto';
import { AccountsRepository } from '../accounts/accounts.repository';
import { MembershipsRepository } from '../accounts/memberships.repository';
import { PoliciesService } from '../policies/policies.service';
import { TeamsService } from '../teams/teams.service';
import { teamsService } from '../teams.module';
import { BulkInviteService } from './bulk-invite.service';
import { InvitationCancellations } from './invitation-cancellations.service';
import { InvitationsRepository } from './invitations.repository';
import { InvitationsService } from './invitations.service';

/** Medium spec: the invitation rules (single and bulk) on a migrated teams schema; identity is an in-process stand-in. */
describe('InvitationsService', () => {
  let db: ServiceTestDatabase;
  let module: TestingModule;
  let invitations: InvitationsService;
  let bulk: BulkInviteService;
  let teams: TeamsService;
  let policies: PoliciesService;
  let memberships: MembershipsRepository;
  const users = new Map<string, UserSummary>();

  beforeAll(async () => {
    db = await ServiceTestDatabase.open(teamsService);
    const identity = new RpcStandIn({
      'tessera.identity.user.get': ({ userId }) => ({ ...users.get(userId)!, createdAt: '', identities: [] }),
      'tessera.identity.user.get-many': ({ userIds }) =>
        userIds.flatMap((id) => (users.has(id) ? [users.get(id)!] : [])),
    });
    module = await db.module([
      { provide: RpcClient, useValue: identity.client },
      AccountsRepository,
      MembershipsRepository,
      InvitationsRepository,
      TeamsService,
      PoliciesService,
      InvitationCancellations,
      InvitationsService,
      BulkInviteService,
    ]);
    invitations = module.get(InvitationsService);
    bulk = module.get(BulkInviteService);
    teams = module.get(TeamsService);
    policies = module.get(PoliciesService);
    memberships = module.get(MembershipsRepository);
  });

  afterAll(async () => {
    await module?.close();
    await db?.close();
  });

  function user(email: string): string {
    const id = randomUUID();
    users.set(id, { id, email, name: email.split('@')[0] });
    return id;
  }

  async function team(): Promise<{ accountId: string; actorUserId: string }> {
    const admin = user(`admin-${randomUUID()}@example.com`);
    return { accountId: (await teams.create(admin, 'Platform')).id, actorUserId: admin };
  }

  /** The link's token, as notifications would open it from the event. */
  async function tokenOf(invitationId: string): Promise<string> {
    const [row] = await db.query<{ sealed: string }>(
      `SELECT envelope->'data'->>'sealedToken' AS sealed FROM teams.outbox
        WHERE envelope->'data'->>'invitationId' = $1 AND envelope->'data' ? 'sealedToken'`,
      [invitationId],
    );
    return Keyring.fromConfig(module.get(CONFIG)).open(INVITATION_TOKEN_PURPOSE, row.sealed).plaintext;
  }

  async function events(accountId: string): Promise<string[]> {
    const rows = await db.query<{ subject: string }>(
      `SELECT subject FROM teams.outbox WHERE envelope->'data'->>'accountId' = $1 ORDER BY id`,
      [accountId],
    );
    return rows.map((row) => row.subject);
  }

  const code = (promise: Promise<unknown>) =>
    promise.then(
      () => 'resolved',
      (error: TesseraError) => error.code,
    );

  it('keeps one pending invitation per address and team, whatever the case of the address', async () => {
    const command = await team();
    const first = await invitations.create({ ...command, email: 'Grace@Example.com', role: 'developer' });
    expect(first.result).toBe('invited');
    const again = await invitations.create({ ...command, email: 'grace@example.com', role: 'developer' });
    expect(again).toEqual({ ...first, result: 'already_invited' });
    expect((await invitations.list(command.accountId)).map((i) => i.id)).toEqual([first.id]);
    expect(await events(command.accountId)).toEqual([
      'tessera.events.teams.team.created',
      'tessera.events.teams.member.added',
      'tessera.events.teams.invitation.created',
    ]);
  });

  it('replaces an expired pending invitation with a new one', async () => {
    const command = await team();
    const old = await invitations.create({ ...command, email: 'linus@example.com', role: 'developer' });
    await db.query(`UPDATE teams.invitations SET expires_at = now() - interval '1 second' WHERE id = $1`, [
      old.id,
    ]);
    const fresh = await invitations.create({ ...command, email: 'linus@example.com', role: 'developer' });
    expect(fresh.id).not.toBe(old.id);
    const rows = await db.query(
      `SELECT id, status FROM teams.invitations WHERE account_id = $1 ORDER BY id`,
      [command.accountId],
    );
    expect(rows).toEqual([
      { id: old.id, status: 'cancelled' },
      { id: fresh.id, status: 'pending' },
    ]);
  });

  it('refuses to invite someone who is already a member', async () => {
    const command = await team();
    await expect(
      code(
        invitations.create({ ...command, email: users.get(command.actorUserId)!.email, role: 'developer' }),
      ),
    ).resolves.toBe('already_member');
  });

  it("refuses an address outside the team's invitations.allowedDomains", async () => {
    const command = await team();
    await policies.set({ ...command, settings: { 'invitations.allowedDomains': ['example.com'] } });
    await expect(
      code(invitations.create({ ...command, email: 'eve@elsewhere.org', role: 'developer' })),
    ).resolves.toBe('policy_violation');
    await expect(
      invitations.create({ ...command, email: 'bob@example.com', role: 'developer' }),
    ).resolves.toMatchObject({ status: 'pending' });
  });

  it('cancels a pending invitation once; a second cancel finds nothing', async () => {
    const command = await team();
    const invitation = await invitations.create({ ...command, email: 'ken@example.com', role: 'billing' });
    await expect(invitations.cancel({ ...command, invitationId: invitation.id })).resolves.toMatchObject({
      status: 'cancelled',
    });
    await expect(code(invitations.cancel({ ...command, invitationId: invitation.id }))).resolves.toBe(
      'not_found',
    );
    expect(await invitations.list(command.accountId)).toEqual([]);
  });

  it('resends as a new invitation and revokes the old link', async () => {
    const command = await team();
    const email = `ada-${randomUUID()}@example.com`;
    const ada = user(email);
    const old = await invitations.create({ ...command, email, role: 'developer' });
    const oldToken = await tokenOf(old.id);
    const resent = await invitations.resend({ ...command, invitationId: old.id });
    expect(resent).toMatchObject({ email, role: 'developer', status: 'pending' });
    expect(resent.id).not.toBe(old.id);
    expect((await events(command.accountId)).slice(-1)).toEqual(['tessera.events.teams.invitation.resent']);
    await expect(code(invitations.accept(oldToken, ada))).resolves.toBe('invitation_revoked');
  });

  it('re-invited with another role, replaces the pending invitation: new role, fresh link, old link revoked', async () => {
    const command = await team();
    const email = `grace-${randomUUID()}@example.com`;
    const grace = user(email);
    const old = await invitations.create({ ...command, email, role: 'developer' });
    const oldToken = await tokenOf(old.id);
    const updated = await invitations.create({ ...command, email: email.toUpperCase(), role: 'admin' });
    expect(updated).toMatchObject({ email, role: 'admin', status: 'pending', result: 'role_updated' });
    expect(updated.id).not.toBe(old.id);
    expect(await invitations.list(command.accountId)).toEqual([
      expect.objectContaining({ id: updated.id, role: 'admin' }),
    ]);
    const rows = await db.query(
      `SELECT id, role, status FROM teams.invitations WHERE account_id = $1 ORDER BY id`,
      [command.accountId],
    );
    expect(rows).toEqual([
      { id: old.id, role: 'developer', status: 'cancelled' },
      { id: updated.id, role: 'admin', status: 'pending' },
    ]);
    const [event] = await db.query<{ subject: string; data: Record<string, unknown> }>(
      `SELECT subject, envelope->'data' AS data FROM teams.outbox WHERE envelope->'data'->>'invitationId' = $1`,
      [updated.id],
    );
    expect(event).toMatchObject({
      subject: 'tessera.events.teams.invitation.role_updated',
      data: { role: 'admin', previousRole: 'developer', replacedInvitationId: old.id, email },
    });
    const newToken = await tokenOf(updated.id);
    expect(newToken).not.toBe(oldToken);

    await expect(code(invitations.accept(oldToken, grace))).resolves.toBe('invitation_revoked');
    await expect(invitations.accept(newToken, grace)).resolves.toMatchObject({ role: 'admin' });
    expect(await memberships.find(command.accountId, grace)).toMatchObject({ role: 'admin' });
  });

  it('serializes concurrent re-invites of one address: one pending invitation, with the role of the last', async () => {
    const command = await team();
    const email = `hedy-${randomUUID()}@example.com`;
    await invitations.create({ ...command, email, role: 'developer' });
    const [asAdmin, asBilling] = await Promise.all([
      invitations.create({ ...command, email, role: 'admin' }),
      invitations.create({ ...command, email, role: 'billing' }),
    ]);
    expect([asAdmin.result, asBilling.result]).toEqual(['role_updated', 'role_updated']);
    const pending = await invitations.list(command.accountId);
    expect(pending).toHaveLength(1);
    expect([asAdmin.id, asBilling.id]).toContain(pending[0].id);
    expect(pending[0].role).toBe(pending[0].id === asAdmin.id ? 'admin' : 'billing');
  });

  it('reports bulk rows that change a pending role as role_updated, and the same role as already_invited', async () => {
    const command = await team();
    await invitations.create({ ...command, email: 'same@example.com', role: 'billing' });
    const changed = await invitations.create({ ...command, email: 'changed@example.com', role: 'billing' });
    const csv =
      'email,role\nsame@example.com,billing\nChanged@example.com,developer\nnew@example.com,admin\n';
    const rows = (reply: BulkInviteReply) => reply.results.map(({ line, result }) => [line, result]);

    const dry = await bulk.invite({ ...command, csv, dryRun: true });
    expect(rows(dry)).toEqual([
      [2, 'already_invited'],
      [3, 'role_updated'],
      [4, 'invited'],
    ]);
    expect(dry.summary).toMatchObject({ invited: 1, already_invited: 1, role_updated: 1 });
    expect((await invitations.list(command.accountId)).find((i) => i.id === changed.id)?.role).toBe(
      'billing',
    );

    const sent = await bulk.invite({ ...command, csv, dryRun: false });
    expect(rows(sent)).toEqual(rows(dry));
    const pending = await invitations.list(command.accountId);
    expect(pending.map(({ email, role }) => [email, role]).sort()).toEqual([
      ['changed@example.com', 'developer'],
      ['new@example.com', 'admin'],
      ['same@example.com', 'billing'],
    ]);
    expect(sent.results[1].invitationId).toBe(pending.find((i) => i.email === 'changed@example.com')!.id);
    expect((await events(command.accountId)).slice(-2)).toEqual([
      'tessera.events.teams.invitation.role_updated',
      'tessera.events.teams.invitation.created',
    ]);

    const rerun = await bulk.invite({ ...command, csv, dryRun: false });
    expect(rerun.summary).toMatchObject({ invited: 0, already_invited: 3, role_updated: 0 });
  });

  it('makes the invited person a member with the invited role, once', async () => {
    const command = await team();
    const email = `joan-${randomUUID()}@example.com`;
    const joan = user(email);
    const invitation = await invitations.create({ ...command, email: email.toUpperCase(), role: 'billing' });
    const token = await tokenOf(invitation.id);
    await expect(invitations.accept(token, joan)).resolves.toEqual({
      id: command.accountId,
      kind: 'team',
      name: 'Platform',
      role: 'billing',
    });
    expect(await memberships.find(command.accountId, joan)).toMatchObject({ role: 'billing' });
    expect((await events(command.accountId)).slice(-2)).toEqual([
      'tessera.events.teams.invitation.accepted',
      'tessera.events.teams.member.added',
    ]);
    await expect(code(invitations.accept(token, joan))).resolves.toBe('invitation_used');
  });

  it('keeps the role of someone who became a member meanwhile, and adds no second membership', async () => {
    const command = await team();
    const email = `mary-${randomUUID()}@example.com`;
    const mary = user(email);
    const invitation = await invitations.create({ ...command, email, role: 'billing' });
    await memberships.add(command.accountId, mary, 'developer');
    await expect(invitations.accept(await tokenOf(invitation.id), mary)).resolves.toMatchObject({
      role: 'developer',
    });
    expect((await events(command.accountId)).slice(-1)).toEqual(['tessera.events.teams.invitation.accepted']);
  });

  it('lets only the invited address accept', async () => {
    const command = await team();
    const invitation = await invitations.create({ ...command, email: 'alan@example.com', role: 'developer' });
    const someoneElse = user(`someone-${randomUUID()}@example.com`);
    await expect(code(invitations.accept(await tokenOf(invitation.id), someoneElse))).resolves.toBe(
      'invitation_email_mismatch',
    );
    expect(await memberships.find(command.accountId, someoneElse)).toBeNull();
  });

  it('refuses an expired link, a cancelled one and one that never existed', async () => {
    const command = await team();
    const email = `barbara-${randomUUID()}@example.com`;
    const barbara = user(email);
    const expired = await invitations.create({ ...command, email, role: 'developer' });
    await db.query(`UPDATE teams.invitations SET expires_at = now() WHERE id = $1`, [expired.id]);
    await expect(code(invitations.accept(await tokenOf(expired.id), barbara))).resolves.toBe(
      'invitation_expired',
    );
    const cancelled = await invitations.create({ ...command, email: 'x@example.com', role: 'developer' });
    await invitations.cancel({ ...command, invitationId: cancelled.id });
    await expect(code(invitations.accept(await tokenOf(cancelled.id), barbara))).resolves.toBe(
      'invitation_revoked',
    );
    await expect(code(invitations.accept('tsi_forged', barbara))).resolves.toBe('invalid_invitation');
    await expect(code(invitations.accept('not-a-link', barbara))).resolves.toBe('invalid_invitation');
  });

  it('cancels the pending invitations a tightened policy no longer allows, and keeps the others', async () => {
    const command = await team();
    const kept = await invitations.create({ ...command, email: 'in@example.com', role: 'developer' });
    const dropped = await invitations.create({ ...command, email: 'out@elsewhere.org', role: 'developer' });
    await policies.set({ ...command, settings: { 'invitations.allowedDomains': ['example.com'] } });
    expect((await invitations.list(command.accountId)).map((i) => i.id)).toEqual([kept.id]);
    const [row] = await db.query(`SELECT status FROM teams.invitations WHERE id = $1`, [dropped.id]);
    expect(row).toEqual({ status: 'cancelled' });
  });
});
