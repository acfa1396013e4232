import { validationDetails } from './schema';
import { TEAMS_EVENTS, TEAMS_RPC } from './teams';

const command = {
  accountId: '0193a1c4-7f0e-7c2a-9d4e-3f1b2a6c8d90',
  actorUserId: '0193a1c4-7f0e-7c2a-9d4e-3f1b2a6c8d91',
};

describe('teams payload schemas', () => {
  const invite = TEAMS_RPC['tessera.teams.invitation.create'].request;
  const rename = TEAMS_RPC['tessera.teams.team.rename'].request;
  const setRole = TEAMS_RPC['tessera.teams.member.set-role'].request;

  it('trims an invited address and refuses one that is not an e-mail, or a formula, and an unknown role', () => {
    expect(invite.parse({ ...command, email: ' grace@example.com ', role: 'admin' }).email).toBe(
      'grace@example.com',
    );
    for (const email of ['not-an-address', '=1+1@x.co', '-2+3@x.co', `${'a'.repeat(250)}@x.co`])
      expect(validationDetails(invite, { ...command, email, role: 'developer' })).toEqual([
        { path: 'email', message: 'That is not a valid e-mail address.' },
      ]);
    expect(validationDetails(setRole, { ...command, userId: command.actorUserId, role: 'owner' })).toEqual([
      { path: 'role', message: 'The role must be admin, developer or billing.' },
    ]);
  });

  it('trims a team name to 1 to 64 characters', () => {
    expect(rename.parse({ ...command, name: '  Research ' }).name).toBe('Research');
    for (const name of ['  ', 'x'.repeat(65)])
      expect(validationDetails(rename, { ...command, name })).toEqual([
        { path: 'name', message: 'A team name has 1 to 64 characters.' },
      ]);
  });

  it('refuses malformed ids anywhere, naming the item of a list', () => {
    const userIds = TEAMS_RPC['tessera.teams.member.user-ids'].request;
    expect(validationDetails(userIds, { accountIds: [command.accountId, 'not-a-uuid'] })).toEqual([
      { path: 'accountIds[1]', message: 'Must be a UUID.' },
    ]);
    expect(
      validationDetails(TEAMS_RPC['tessera.teams.team.archive'].request, { ...command, extra: 1 }),
    ).toEqual([{ path: '', message: 'Unrecognized key: "extra"' }]);
  });

  it('gives every teams event the fields its consumers read', () => {
    const removed = TEAMS_EVENTS['tessera.events.teams.member.removed'];
    expect(removed.safeParse({ ...command, userId: command.actorUserId, teamName: 'Ops' }).success).toBe(
      true,
    );
    expect(removed.safeParse({ ...command, actorUserId: null, userId: command.actorUserId }).success).toBe(
      false,
    );
  });
});
