import { TestingModule } from '@nestjs/testing';
import { Role, RpcClient, TesseraError } from '@tessera/contracts';
import { RpcStandIn, ServiceTestDatabase } from '@tessera/testing';
import { randomUUID } from 'node:crypto';
import { AccountsRepository } from '../accounts/accounts.repository';
import { MembershipsRepository } from '../accounts/memberships.repository';
import { TeamsService } from '../teams/teams.service';
import { teamsService } from '../teams.module';
import { MembersService } from './members.service';

/** Medium spec: the rules on members and roles, on a migrated teams schema; identity is an in-process stand-in. */
describe('MembersService', () => {
  let db: ServiceTestDatabase;
  let module: TestingModule;
  let members: MembersService;
  let teams: TeamsService;
  let memberships: MembershipsRepository;

  beforeAll(async () => {
    db = await ServiceTestDatabase.open(teamsService);
    const identity = new RpcStandIn({
      'tessera.identity.user.get-many': ({ userIds }) =>
        userIds.map((id) => ({ id, email: `${id}@example.com`, name: null })),
    });
    module = await db.module([
      { provide: RpcClient, useValue: identity.client },
      AccountsRepository,
      MembershipsRepository,
      TeamsService,
      MembersService,
    ]);
    members = module.get(MembersService);
    teams = module.get(TeamsService);
    memberships = module.get(MembershipsRepository);
  });

  afterAll(async () => {
    await module?.close();
    await db?.close();
  });

  /** A team whose first Admin is `admin`, with one more member per given role. */
  async function team(...roles: Role[]) {
    const admin = randomUUID();
    const accountId = (await teams.create(admin, 'Platform')).id;
    const others = [];
    for (const role of roles) {
      const userId = randomUUID();
      await memberships.add(accountId, userId, role);
      others.push(userId);
    }
    return { accountId, actorUserId: admin, admin, others };
  }

  async function roleChanges(accountId: string) {
    return db.query(
      `SELECT envelope->'data'->>'from' AS "from", envelope->'data'->>'to' AS "to" FROM teams.outbox
        WHERE subject = 'tessera.events.teams.member.role_changed' AND envelope->'data'->>'accountId' = $1`,
      [accountId],
    );
  }

  const code = (promise: Promise<unknown>) =>
    promise.then(
      () => 'resolved',
      (error: TesseraError) => error.code,
    );

  it('refuses to demote the last Admin', async () => {
    const { admin, ...command } = await team('developer');
    await expect(code(members.setRole({ ...command, userId: admin, role: 'developer' }))).resolves.toBe(
      'last_admin',
    );
    expect(await memberships.find(command.accountId, admin)).toMatchObject({ role: 'admin' });
  });

  it('refuses to remove the last Admin, even when they leave on their own', async () => {
    const { admin, ...command } = await team('billing');
    await expect(code(members.remove({ ...command, userId: admin }))).resolves.toBe('last_admin');
    expect(await memberships.countAdmins(command.accountId)).toBe(1);
  });

  it('demotes an Admin while another remains, with the role change recorded', async () => {
    const { admin, others, ...command } = await team('admin');
    await expect(members.setRole({ ...command, userId: admin, role: 'billing' })).resolves.toMatchObject({
      userId: admin,
      role: 'billing',
    });
    expect(await memberships.countAdmins(command.accountId)).toBe(1);
    expect(await roleChanges(command.accountId)).toEqual([{ from: 'admin', to: 'billing' }]);
    await expect(code(members.setRole({ ...command, userId: others[0], role: 'developer' }))).resolves.toBe(
      'last_admin',
    );
  });

  it('changes nothing and records nothing when the role is the one already held', async () => {
    const { others, ...command } = await team('developer');
    await expect(
      members.setRole({ ...command, userId: others[0], role: 'developer' }),
    ).resolves.toMatchObject({
      role: 'developer',
    });
    expect(await roleChanges(command.accountId)).toEqual([]);
  });

  it('refuses a person who is not a member', async () => {
    const command = await team();
    await expect(code(members.setRole({ ...command, userId: randomUUID(), role: 'admin' }))).resolves.toBe(
      'not_found',
    );
    await expect(code(members.remove({ ...command, userId: randomUUID() }))).resolves.toBe('not_found');
  });

  it('removes a member, whose membership ends with the call', async () => {
    const { others, ...command } = await team('developer');
    await expect(members.remove({ ...command, userId: others[0] })).resolves.toEqual({ removed: true });
    expect(await memberships.find(command.accountId, others[0])).toBeNull();
    expect((await members.list(command.accountId)).map((m) => m.userId)).toEqual([command.admin]);
  });

  it('acts only on live teams: an archived team has no members to change', async () => {
    const { others, ...command } = await team('developer');
    await teams.archive(command);
    await expect(code(members.remove({ ...command, userId: others[0] }))).resolves.toBe('not_found');
  });

  it('of two concurrent demotions of the last two Admins, exactly one succeeds', async () => {
    const { admin, others, ...command } = await team('admin');
    const outcomes = await Promise.all(
      [admin, others[0]].map((userId) => code(members.setRole({ ...command, userId, role: 'developer' }))),
    );
    expect(outcomes.sort()).toEqual(['last_admin', 'resolved']);
    expect(await memberships.countAdmins(command.accountId)).toBe(1);
  });

  it('keeps the last Org Admin of an organization', async () => {
    const founder = randomUUID();
    const [{ id }] = await db.query<{ id: string }>(
      `INSERT INTO teams.accounts (id, kind, name) VALUES ($1, 'organization', 'Acme') RETURNING id`,
      [randomUUID()],
    );
    await memberships.add(id, founder, 'admin');
    await expect(
      code(members.remove({ accountId: id, actorUserId: founder, userId: founder }, 'organization')),
    ).resolves.toBe('last_admin');
  });

  it('lists the user ids of several teams once each', async () => {
    const first = await team('developer');
    const second = await team();
    await memberships.add(second.accountId, first.others[0], 'billing');
    const ids = await members.userIdsIn([first.accountId, second.accountId]);
    expect(ids.sort()).toEqual([first.admin, first.others[0], second.admin].sort());
  });
});
