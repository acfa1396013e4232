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
