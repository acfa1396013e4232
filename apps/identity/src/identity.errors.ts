import { TesseraError } from '@tessera/contracts';

/** The identity service's refusals; each message is written for the person who will read it. */
export const IdentityErrors = {
  providerNotConfigured: (provider: string) =>
    new TesseraError(
      'provider_not_configured',
      `Sign-in with ${provider} is not configured on this installation.`,
    ),
  invalidState: () =>
    new TesseraError(
      'invalid_state',
      'This sign-in link is invalid, expired or already used. Please start again.',
    ),
  signInFailed: (provider: string) =>
    new TesseraError(
      'signin_failed',
      `${providerName(provider)} did not confirm the sign-in. Please try again.`,
    ),
  emailNotVerified: (provider: string) =>
    new TesseraError('email_not_verified', `Your ${providerName(provider)} e-mail address is not verified.`),
  existsWithDifferentProvider: (providers: string[]) =>
    new TesseraError(
      'account_exists_with_different_provider',
      `An account with this e-mail already signs in with ${providers.map(providerName).join(' or ')}. ` +
        `Sign in that way, then link this provider from your account.`,
    ),
  alreadyLinked: (provider: string) =>
    new TesseraError(
      'identity_already_linked',
      `This ${providerName(provider)} account belongs to another user.`,
    ),
  lastIdentity: () =>
    new TesseraError('last_identity', 'This is your only way to sign in; link another provider first.'),
  invalidGrant: () => new TesseraError('invalid_grant', 'The refresh token is invalid, expired or revoked.'),
  sessionEnded: () =>
    new TesseraError('unauthenticated', 'Your session has ended. Sign in in this browser again.'),
  notFound: (what: string) => new TesseraError('not_found', `${what} was not found.`),
  invalidUserCode: () =>
    new TesseraError('invalid_user_code', 'This code is unknown or has expired. Start the login again.'),
  ssoFailed: (reason: SsoFailureReason, detail?: string) => new SsoFailedError(reason, detail),
  connectionNeedsVerifiedDomain: () =>
    new TesseraError(
      'domain_not_verified',
      'A connection can be enabled for sign-in once the organization has verified one of its domains: it only ' +
        'vouches for e-mail addresses in them. Verify a domain first; "test connection" works meanwhile.',
    ),
  notProvisioned: () =>
    new TesseraError(
      'forbidden',
      'Your identity provider signed you in, but no team of the organization is mapped to your groups. Ask your IT admin.',
    ),
};

/** Why a SAML response was refused: stable strings for logs and tests, never shown to the person signing in. */
export type SsoFailureReason =
  | 'no_certificate'
  | 'too_large'
  | 'malformed'
  | 'doctype_forbidden'
  | 'multiple_roots'
  | 'not_a_response'
  | 'status_not_success'
  | 'no_assertion'
  | 'multiple_assertions'
  | 'encrypted_assertion_unsupported'
  | 'signature_missing'
  | 'signature_invalid'
  | 'weak_algorithm'
  | 'wrong_destination'
  | 'wrong_recipient'
  | 'wrong_audience'
  | 'wrong_issuer'
  | 'expired'
  | 'not_yet_valid'
  | 'in_response_to_mismatch'
  | 'missing_name_id'
  | 'missing_email'
  | 'unsolicited_not_allowed'
  | 'unknown_request'
  | 'browser_mismatch'
  | 'replayed'
  | 'email_domain_not_verified';

/**
 * A refused SAML sign-in. Every reason shares the public code `signin_failed` (which the gateway already maps), so a
 * response probing for which check failed learns nothing; `reason`, and `detail` when the SAML library said more
 * (e.g. which audience it saw), are for our logs only.
 */
export class SsoFailedError extends TesseraError {
  constructor(
    readonly reason: SsoFailureReason,
    readonly detail?: string,
  ) {
    super('signin_failed', 'Your identity provider did not confirm the sign-in. Please try again.');
  }
}

export function providerName(provider: string): string {
  if (provider.startsWith('saml:')) return "your organization's single sign-on";
  return provider === 'github' ? 'GitHub' : provider === 'google' ? 'Google' : provider;
}
