import { TesseraError } from '@tessera/contracts';

export const MAX_GRACE_SECONDS = 7 * 24 * 3600;

export const KeysErrors = {
  notFound: () => new TesseraError('not_found', 'The API key was not found.'),
  invalidName: () => new TesseraError('validation_failed', 'A key name has 1 to 64 characters.'),
  invalidScope: () => new TesseraError('validation_failed', 'The scope must be API or ADMIN.'),
  invalidExpiry: () =>
    new TesseraError('validation_failed', '`expires_at` must be an ISO 8601 date-time in the future.'),
  invalidGrace: () =>
    new TesseraError(
      'validation_failed',
      `\`grace_seconds\` must be a whole number from 0 to ${MAX_GRACE_SECONDS} (7 days).`,
    ),
  invalidCredentials: () =>
    new TesseraError('invalid_credentials', 'The credentials are invalid, expired or revoked.'),
  invalid: (what: string) => new TesseraError('validation_failed', what),
};
