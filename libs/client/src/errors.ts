import type { ErrorCode } from '@tessera/contracts';

/** OAuth-shaped errors of the token and device endpoints (RFC 6749 §5.2, RFC 8628 §3.5). */
export type OAuthErrorCode =
  | 'invalid_request'
  | 'invalid_grant'
  | 'unsupported_grant_type'
  | 'authorization_pending'
  | 'slow_down'
  | 'access_denied'
  | 'expired_token';

/** What the API answered when it refused: its stable code, its message, and the request id to quote. */
export class TesseraApiError extends Error {
  override readonly name = 'TesseraApiError';

  constructor(
    readonly status: number,
    readonly code: ErrorCode | OAuthErrorCode,
    message: string,
    readonly requestId?: string,
  ) {
    super(message);
  }
}

/** The host could not be reached, or answered something that is not Tessera's API. */
export class TesseraConnectionError extends Error {
  override readonly name = 'TesseraConnectionError';

  constructor(
    readonly host: string,
    message: string,
  ) {
    super(message);
  }
}

/** No credential to send: neither an API key nor a saved login. */
export class NotSignedInError extends Error {
  override readonly name = 'NotSignedInError';
}
