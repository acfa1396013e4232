import { GatewayConfig } from '@tessera/config';
import { CookieOptions } from 'express';

export const SESSION_COOKIE = 'tessera_session';
export const SIGNIN_STATE_COOKIE = 'tessera_signin';
export const SIGNIN_STATE_TTL_MS = 10 * 60_000;

/** httpOnly so scripts never see a token; SameSite=Lax so cross-site POSTs do not carry it; Secure on https. */
export function sessionCookie(config: GatewayConfig): CookieOptions {
  return {
    httpOnly: true,
    sameSite: 'lax',
    secure: config.publicUrl.startsWith('https:'),
    path: '/',
    maxAge: config.sessionTtlDays * 86_400_000,
  };
}

/** Binds a sign-in's `state` to the browser that started it: signed, short-lived, only sent to `/auth`. */
export function signInStateCookie(config: GatewayConfig): CookieOptions {
  return {
    httpOnly: true,
    sameSite: 'lax',
    secure: config.publicUrl.startsWith('https:'),
    path: '/auth',
    maxAge: SIGNIN_STATE_TTL_MS,
    signed: true,
  };
}

/**
 * Binds an SP-initiated SAML sign-in to the browser that started it (decision 013): it holds the hash of the
 * AuthnRequest ID, and the IdP's cross-site POST to the ACS must bring it back, so `SameSite=None`. Over https it is a
 * `__Host-` cookie (Secure, whole origin, no Domain: no sibling subdomain can plant one); browsers refuse both
 * `__Host-` and `SameSite=None` without Secure, so over plain http (loopback development, where the IdP and Tessera
 * are same-site anyway) it is an ordinary Lax cookie.
 */
export function samlRequestCookie(config: GatewayConfig): { name: string; options: CookieOptions } {
  const https = config.publicUrl.startsWith('https:');
  return {
    name: https ? '__Host-tessera_saml' : 'tessera_saml',
    options: {
      httpOnly: true,
      sameSite: https ? 'none' : 'lax',
      secure: https,
      path: '/',
      maxAge: SIGNIN_STATE_TTL_MS,
    },
  };
}

/**
 * A SAML sign-in that succeeded but whose session the browser has not taken yet: the ACS is a cross-site POST, which
 * does not carry the Lax session cookie, so the gateway cannot see there whom the browser is signed in as. The next
 * step (a same-site GET) can, and asks before replacing another user's session. Signed, short-lived, `/auth/saml`.
 */
export const SSO_PENDING_COOKIE = 'tessera_sso_pending';
export function ssoPendingCookie(config: GatewayConfig): CookieOptions {
  return { ...signInStateCookie(config), path: '/auth/saml' };
}
