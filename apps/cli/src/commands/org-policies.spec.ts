import { InvalidArgumentError } from 'commander';
import { settingAssignment } from './org-policies';

describe('orgs policies set --set', () => {
  it('reads true/false, whole numbers and comma-separated lists', () => {
    expect(settingAssignment('sso.enforced=true')).toEqual([['sso.enforced', true]]);
    expect(settingAssignment('keys.maxLifetimeDays=90')).toEqual([['keys.maxLifetimeDays', 90]]);
    expect(settingAssignment('invitations.allowedDomains= acme.com, ,eu.acme.com')).toEqual([
      ['invitations.allowedDomains', ['acme.com', 'eu.acme.com']],
    ]);
  });

  it('collects repeated assignments in order', () => {
    const first = settingAssignment('keys.allowedScopes=API');
    expect(settingAssignment('keys.allowedScopes=ADMIN', first)).toEqual([
      ['keys.allowedScopes', ['API']],
      ['keys.allowedScopes', ['ADMIN']],
    ]);
  });

  it('refuses anything but name=value as a usage error', () => {
    for (const value of ['keys.maxLifetimeDays', '=90', ''])
      expect(() => settingAssignment(value)).toThrow(InvalidArgumentError);
  });
});
