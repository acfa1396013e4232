import { HttpStatus } from '@nestjs/common';
import { ErrorCode } from '@tessera/contracts';

/** The one mapping from error code to HTTP status; typed over every code, so none is forgotten. */
export const ERROR_STATUS: Record<ErrorCode, HttpStatus> = {
  bad_request: HttpStatus.BAD_REQUEST,
  validation_failed: HttpStatus.BAD_REQUEST,
  not_found: HttpStatus.NOT_FOUND,
  payload_too_large: HttpStatus.PAYLOAD_TOO_LARGE,
  unsupported_media_type: HttpStatus.UNSUPPORTED_MEDIA_TYPE,
  service_unavailable: HttpStatus.SERVICE_UNAVAILABLE,
  internal: HttpStatus.INTERNAL_SERVER_ERROR,
};

/** Errors that Nest or Express raise by status (unknown route, unparsable body, …) take the code of that status. */
export function codeForStatus(status: number): ErrorCode {
  switch (status) {
    case HttpStatus.NOT_FOUND:
      return 'not_found';
    case HttpStatus.PAYLOAD_TOO_LARGE:
      return 'payload_too_large';
    case HttpStatus.UNSUPPORTED_MEDIA_TYPE:
      return 'unsupported_media_type';
    case HttpStatus.SERVICE_UNAVAILABLE:
      return 'service_unavailable';
    default:
      return status < 500 ? 'bad_request' : 'internal';
  }
}
