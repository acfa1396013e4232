import { ErrorCode } from '@tessera/contracts';

/**
 * Refusals of a sign-in (GitHub, Google, SAML) a person can act on: they go back to the sign-in page, which says
 * what to do about each. Outages and bugs stay errors.
 */
export const SIGN_IN_REFUSALS: ReadonlySet<ErrorCode> = new Set<ErrorCode>([
  'invalid_state',
  'signin_failed',
  'email_not_verified',
  'account_exists_with_different_provider',
  'identity_already_linked',
  'provider_not_configured',
  'sso_required',
  'signin_method_not_allowed',
  // SAML: no team of the organization admits the person, or no connection serves their e-mail.
  'forbidden',
  'not_found',
]);
