import { Keyring } from '@tessera/runtime';
import type { Placement } from './sso-sign-in.service';

/** How long a person has to agree to a link before signing in again. */
const CONFIRMATION_TTL_MS = 10 * 60_000;
const PURPOSE = 'identity/sso-link-confirmation';

/**
 * A validated SSO sign-in held back until the person agrees to link it to the existing user with their e-mail
 * (decision 013). It travels sealed (AES-256-GCM under the keyring, for this purpose alone) in the browser's pending cookie, so nothing is
 * stored and nothing in it can be altered; it names the user it was shown, so it can link to no other.
 */
export interface PendingLink {
  connectionId: string;
  subject: string;
  email: string;
  name: string | null;
  placements: Placement[];
  returnTo: string;
  userId: string;
}

export function sealPendingLink(keyring: Keyring, pending: PendingLink, now = Date.now()): string {
  return keyring.seal(PURPOSE, JSON.stringify({ ...pending, expiresAt: now + CONFIRMATION_TTL_MS }));
}

/** The pending link a token carries, or undefined when it is not one of ours or has expired. */
export function openPendingLink(keyring: Keyring, token: unknown, now = Date.now()): PendingLink | undefined {
  if (typeof token !== 'string') return undefined;
  try {
    const { plaintext } = keyring.open(PURPOSE, token);
    const { expiresAt, ...pending } = JSON.parse(plaintext) as PendingLink & { expiresAt: number };
    return typeof expiresAt === 'number' && expiresAt > now ? pending : undefined;
  } catch {
    return undefined;
  }
}
