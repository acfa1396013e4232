import { KEY_SCOPES, ROLES } from '@tessera/contracts';
import { can } from './ability';
import { RESOURCE_ACTIONS, ResourceAction, isResourceAction, scopeTable } from './resource-actions';
import { ROLE_MATRIX, roleTable } from './role-matrix';

describe('role matrix', () => {
  it.each(
    ROLE_MATRIX.flatMap((row) => ROLES.map((role) => [row.action, role, row.roles.includes(role)] as const)),
  )('%s by %s → %s', (action, role, allowed) => expect(can({ role }, action)).toBe(allowed));

  it('grants nothing without a role', () => {
    for (const row of ROLE_MATRIX) expect(can({}, row.action)).toBe(false);
  });

  it('renders the table the docs show', () => {
    const lines = roleTable().split('\n');
    expect(lines[0]).toMatch(/^\| action +\| Admin \| Developer \| Billing \|$/);
    expect(lines).toHaveLength(2 + ROLE_MATRIX.length);
    expect(lines).toContainEqual(
      expect.stringMatching(/^\| create \/ delete API keys +\| ✓ +\| – +\| – +\|$/),
    );
  });
});

describe('key scopes and resource actions', () => {
  const expected: Record<string, { API: boolean; ADMIN: boolean }> = {
    'models.call': { API: true, ADMIN: true },
    'endpoints.call': { API: true, ADMIN: true },
    'apps.deploy': { API: false, ADMIN: true },
    'apps.run': { API: false, ADMIN: true },
    'apps.manage': { API: false, ADMIN: true },
    'secrets.read': { API: true, ADMIN: true },
    'platform.admin': { API: false, ADMIN: true },
  };

  it.each(
    Object.entries(expected).flatMap(([action, byScope]) =>
      KEY_SCOPES.map((scope) => [action, scope, byScope[scope]] as const),
    ),
  )('%s with an %s key → %s', (action, scope, allowed) =>
    expect(can({ keyScope: scope }, action as ResourceAction)).toBe(allowed),
  );

  it('lists exactly the actions the scope table names', () => {
    expect(RESOURCE_ACTIONS.map((row) => row.action).sort()).toEqual(Object.keys(expected).sort());
  });

  it.each(ROLES)(
    'lets a %s member use every resource action but secrets.read, which goes by role',
    (role) => {
      for (const row of RESOURCE_ACTIONS)
        expect({ action: row.action, allowed: can({ role }, row.action) }).toEqual({
          action: row.action,
          allowed: row.action !== 'secrets.read' || role !== 'billing',
        });
    },
  );

  it.each(KEY_SCOPES)('never lets an %s key do a person action', (scope) => {
    // `secrets.read` is in both tables: by role for members, by scope for keys.
    for (const row of ROLE_MATRIX.filter((r) => !isResourceAction(r.action)))
      expect(can({ keyScope: scope }, row.action)).toBe(false);
  });

  it('renders the scope table the docs show', () => {
    const lines = scopeTable().split('\n');
    expect(lines).toHaveLength(2 + RESOURCE_ACTIONS.length);
    expect(lines).toContainEqual(
      expect.stringMatching(/^\| `apps.deploy` +\| deploy apps +\| – +\| ✓ +\| ✓ +\|$/),
    );
    expect(lines).toContainEqual(
      expect.stringMatching(/^\| `secrets.read` +\| .+ +\| ✓ +\| ✓ +\| Admin, Developer +\|$/),
    );
  });
});
