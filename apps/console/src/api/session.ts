/**
 * The console holds no secret of its own: the sign-in left an httpOnly session cookie, and `POST /auth/token` in
 * its cookie form answers a short-lived access token, kept in memory only.
 */
interface AccessToken {
  value: string;
  expiresAt: number;
}

/** Renew a little before expiry, so a request never leaves with a token about to lapse. */
const RENEW_BEFORE_MS = 30_000;

let current: AccessToken | undefined;
let renewing: Promise<string> | undefined;

export class SignedOutError extends Error {
  constructor() {
    super('Your session ended. Sign in again.');
  }
}

/** The access token to send now, renewed when missing or about to expire. */
export function accessToken(): Promise<string> {
  if (current && current.expiresAt - RENEW_BEFORE_MS > Date.now()) return Promise.resolve(current.value);
  return renewAccessToken();
}

/** Forgets the token in hand (the API said it is no longer valid) and asks for a new one. */
export function renewAccessToken(): Promise<string> {
  current = undefined;
  renewing ??= withSessionLock(exchangeCookie).finally(() => {
    renewing = undefined;
  });
  return renewing;
}

/**
 * The refresh token rotates on every use, and presenting a rotated one again revokes the whole session: two tabs
 * renewing at once would sign the person out. A Web Lock makes tabs of this browser take turns, so each sends the
 * cookie the previous one left.
 */
function withSessionLock<T>(work: () => Promise<T>): Promise<T> {
  if (typeof navigator === 'undefined' || !navigator.locks) return work();
  return navigator.locks.request('tessera-session', work) as Promise<T>;
}

async function exchangeCookie(): Promise<string> {
  const response = await fetch('/auth/token', {
    method: 'POST',
    credentials: 'same-origin',
    headers: { accept: 'application/json' },
    // Held under the lock: a renewal that never answers must not stall every tab's renewals behind it.
    signal: AbortSignal.timeout(15_000),
  });
  if (response.status === 400 || response.status === 401) throw new SignedOutError();
  if (!response.ok) throw new Error(`Tessera did not answer the session renewal (HTTP ${response.status}).`);
  const grant = (await response.json()) as { access_token: string; expires_in: number };
  current = { value: grant.access_token, expiresAt: Date.now() + grant.expires_in * 1000 };
  return current.value;
}

/** Sends the browser to the sign-in page, which brings it back here afterwards. */
export function goToSignIn(): void {
  const here = `${window.location.pathname}${window.location.search}`;
  window.location.assign(`/signin?${new URLSearchParams({ return_to: here })}`);
}

export async function signOut(): Promise<void> {
  current = undefined;
  await fetch('/auth/logout', { method: 'POST', credentials: 'same-origin' });
  window.location.assign('/signin');
}
