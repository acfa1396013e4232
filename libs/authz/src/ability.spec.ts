import { ROLES } from '@tessera/contracts';
import { can } from './ability';
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
