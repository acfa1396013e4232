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
  // A service refused the gateway's own command token: a misconfigured deployment (secrets out of step), not an
  // outage a retry would cure, and nothing the client did: so 500, not 503 or 401.
  unauthorized_caller: HttpStatus.INTERNAL_SERVER_ERROR,
  unauthenticated: HttpStatus.UNAUTHORIZED,
  invalid_token: HttpStatus.UNAUTHORIZED,
  not_a_member: HttpStatus.FORBIDDEN,
  rate_limited: HttpStatus.TOO_MANY_REQUESTS,
  provider_not_configured: HttpStatus.NOT_FOUND,
  invalid_state: HttpStatus.BAD_REQUEST,
  signin_failed: HttpStatus.BAD_REQUEST,
  email_not_verified: HttpStatus.FORBIDDEN,
  account_exists_with_different_provider: HttpStatus.CONFLICT,
  identity_already_linked: HttpStatus.CONFLICT,
  last_identity: HttpStatus.CONFLICT,
  invalid_grant: HttpStatus.BAD_REQUEST,
  invalid_user_code: HttpStatus.NOT_FOUND,
  cross_site_request: HttpStatus.FORBIDDEN,
  forbidden: HttpStatus.FORBIDDEN,
  last_admin: HttpStatus.CONFLICT,
  already_in_organization: HttpStatus.CONFLICT,
  transfer_pending: HttpStatus.CONFLICT,
  policy_violation: HttpStatus.UNPROCESSABLE_ENTITY,
  version_conflict: HttpStatus.CONFLICT,
  sso_required: HttpStatus.FORBIDDEN,
  signin_method_not_allowed: HttpStatus.FORBIDDEN,
  public_email_domain: HttpStatus.UNPROCESSABLE_ENTITY,
  domain_taken: HttpStatus.CONFLICT,
  domain_not_verified: HttpStatus.CONFLICT,
  batch_too_large: HttpStatus.PAYLOAD_TOO_LARGE,
  invitation_expired: HttpStatus.GONE,
  invitation_revoked: HttpStatus.GONE,
  invitation_used: HttpStatus.GONE,
  invitation_email_mismatch: HttpStatus.FORBIDDEN,
  invalid_invitation: HttpStatus.NOT_FOUND,
  already_member: HttpStatus.CONFLICT,
  invalid_credentials: HttpStatus.UNAUTHORIZED,
  credential_in_query: HttpStatus.BAD_REQUEST,
  scope_insufficient: HttpStatus.FORBIDDEN,
  account_archived: HttpStatus.FORBIDDEN,
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
