import { GatewayConfig } from '@tessera/config';
import { sessionCookie, signInStateCookie } from './cookies';

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
});
