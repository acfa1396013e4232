import { GatewayConfig } from '@tessera/config';
import { samlRequestCookie, sessionCookie, signInStateCookie } from './cookies';

const config = (publicUrl: string) => ({ publicUrl, sessionTtlDays: 30 }) as GatewayConfig;

describe('cookies', () => {
  it('keeps tokens away from scripts and cross-site posts', () => {
    expect(sessionCookie(config('http://localhost:3000'))).toMatchObject({
      httpOnly: true,
      sameSite: 'lax',
      secure: false,
    });
    expect(signInStateCookie(config('http://localhost:3000'))).toMatchObject({
      httpOnly: true,
      signed: true,
      path: '/auth',
    });
  });

  it('marks them Secure when Tessera is served over https', () => {
    expect(sessionCookie(config('https://accounts.example.com')).secure).toBe(true);
    expect(signInStateCookie(config('https://accounts.example.com')).secure).toBe(true);
  });

  it('binds a SAML request to its browser with a __Host- cookie that crosses sites, over https', () => {
    expect(samlRequestCookie(config('https://accounts.example.com'))).toEqual({
      name: '__Host-tessera_saml',
      options: expect.objectContaining({ secure: true, sameSite: 'none', path: '/', httpOnly: true }),
    });
    // Browsers refuse __Host- and SameSite=None without Secure: plain http (loopback) gets a Lax cookie.
    expect(samlRequestCookie(config('http://localhost:3000'))).toEqual({
      name: 'tessera_saml',
      options: expect.objectContaining({ secure: false, sameSite: 'lax', path: '/' }),
    });
  });
});
