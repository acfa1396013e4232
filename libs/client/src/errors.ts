import type { components } from './api';

/** OAuth-shaped errors of the token and device endpoints (RFC 6749 §5.2, RFC 8628 §3.5). */
export type OAuthErrorCode =
  | 'invalid_request'
  | 'invalid_grant'
  | 'unsupported_grant_type'
  | 'authorization_pending'
  | 'slow_down'
  | 'access_denied'
  | 'expired_token';

/** One wrong field of a `validation_failed` (its `path` and what is wrong), or the SSO login of `sso_required`. */
export type ApiErrorDetail = components['schemas']['ErrorDetail'];

/** The API's stable error codes. */
export type ApiErrorCode = components['schemas']['ErrorEnvelope']['error']['code'];

/**
 * What the API answered when it refused: its stable code, its message, the request id to quote, and `details`
 * where the code has them.
 */
export class TesseraApiError extends Error {
  override readonly name = 'TesseraApiError';

  constructor(
    readonly status: number,
    readonly code: ApiErrorCode | OAuthErrorCode,
    message: string,
    readonly requestId?: string,
    readonly details?: ApiErrorDetail[],
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

/** The team named (by `--team`, the `team` option or the profile) is not one the credential can act for. */
export class UnknownTeamError extends Error {
  override readonly name = 'UnknownTeamError';
}
