import { TesseraError } from '@tessera/contracts';

export const KeysErrors = {
  notFound: () => new TesseraError('not_found', 'The API key was not found.'),
  invalidExpiry: () =>
    new TesseraError('validation_failed', '`expiresAt` must be in the future.', [
      { path: 'expiresAt', message: 'Must be in the future.' },
    ]),
  invalidCredentials: () =>
    new TesseraError('invalid_credentials', 'The credentials are invalid, expired or revoked.'),
};
