import { safeReturnTo } from './return-to';

describe('safeReturnTo', () => {
  it.each(['/', '/dashboard', '/teams/42/members?tab=invites', '/device?user_code=BCDF-GHJK', '/a/b#c'])(
    'keeps the same-origin path %s',
    (path) => expect(safeReturnTo(path)).toBe(path),
  );

  it.each([
    '//evil.example',
    '/\\evil.example',
    '/\\/evil.example',
    'https://elsewhere.example/',
    'javascript:alert(1)',
    '/a/../..',
    '/a/%2e%2e/%2e%2e',
    '%2F%2Fevil.example',
    '/%2F%2Fevil.example',
    '/%5Cevil.example',
    '/ok\n/evil',
    '',
    'dashboard',
    undefined,
    ['/', '//evil'],
    `/${'a'.repeat(3000)}`,
  ])('refuses %j and falls back to /', (candidate) => expect(safeReturnTo(candidate)).toBe('/'));
});
