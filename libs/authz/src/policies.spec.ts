import { assertOnlyTightens, keyActionForbidden, tighten } from './policies';

describe('secrets.adminKeysOnly', () => {
  it('forbids secret reads to API-scope keys only, and nothing else', () => {
    const policy = { 'secrets.adminKeysOnly': true };
    expect(keyActionForbidden(policy, 'API', 'secrets.read')).toContain('secrets.adminKeysOnly');
    expect(keyActionForbidden(policy, 'ADMIN', 'secrets.read')).toBeUndefined();
    expect(keyActionForbidden(policy, 'API', 'models.call')).toBeUndefined();
    expect(keyActionForbidden({}, 'API', 'secrets.read')).toBeUndefined();
    expect(keyActionForbidden({ 'secrets.adminKeysOnly': false }, 'API', 'secrets.read')).toBeUndefined();
  });

  it('is on when either the organization or the team turns it on; a team cannot turn it off', () => {
    expect(tighten({ 'secrets.adminKeysOnly': true }, { 'secrets.adminKeysOnly': false })).toEqual({
      'secrets.adminKeysOnly': true,
    });
    expect(tighten({}, { 'secrets.adminKeysOnly': true })).toEqual({ 'secrets.adminKeysOnly': true });
    expect(() =>
      assertOnlyTightens({ 'secrets.adminKeysOnly': true }, { 'secrets.adminKeysOnly': false }),
    ).toThrow('secrets.adminKeysOnly may only be tightened');
    expect(() =>
      assertOnlyTightens({ 'secrets.adminKeysOnly': false }, { 'secrets.adminKeysOnly': true }),
    ).not.toThrow();
  });
});
