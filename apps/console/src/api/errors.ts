import type { components } from '@tessera/api';

/** What the API says when it refuses: a stable code, a message for people, and which fields were wrong. */
export type ApiRefusal = components['schemas']['ErrorEnvelope']['error'];

/** The refusal inside an error thrown by a query or mutation, when the API answered one. */
export function refusalOf(error: unknown): ApiRefusal | undefined {
  const envelope = (error as { error?: ApiRefusal } | null)?.error;
  return typeof envelope?.code === 'string' ? envelope : undefined;
}

/**
 * Plain words for the generic refusals, whose API message is written for scripts. Specific refusals
 * (`last_admin`, `policy_violation`, `validation_failed`…) keep the API's own message: it names what to change.
 */
const PLAIN_WORDS: Record<string, string> = {
  forbidden: 'Your role in this account does not allow this.',
  not_found: 'This no longer exists, or you are not a member of it.',
  rate_limited: 'Too many attempts in a short time. Wait a minute and try again.',
  unauthenticated: 'Your session ended. Sign in again.',
};

export function describeError(error: unknown): string {
  const refusal = refusalOf(error);
  if (!refusal) return error instanceof Error ? error.message : 'Tessera did not answer. Try again.';
  if (refusal.code === 'validation_failed' && refusal.details?.length)
    return refusal.details.map((detail) => detail.message).join(' ');
  return PLAIN_WORDS[refusal.code] ?? refusal.message;
}
