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
  notFound: (what: string) => new TesseraError('not_found', `${what} was not found.`),
  invalidUserCode: () =>
    new TesseraError('invalid_user_code', 'This code is unknown or has expired. Start the login again.'),
};

export function providerName(provider: string): string {
  return provider === 'github' ? 'GitHub' : provider === 'google' ? 'Google' : provider;
}
