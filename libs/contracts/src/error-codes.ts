/**
 * Every error code a client can see. The gateway maps each to one HTTP status (see apps/gateway), and the map is
 * typed as `Record<ErrorCode, number>`, so adding a code here without a status does not compile.
 */
export type ErrorCode =
  | 'bad_request'
  | 'validation_failed'
  | 'not_found'
  | 'payload_too_large'
  | 'unsupported_media_type'
  | 'service_unavailable'
  | 'internal';

export interface ErrorBody {
  code: ErrorCode;
  message: string;
}
