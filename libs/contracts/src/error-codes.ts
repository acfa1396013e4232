import { z } from 'zod';

/**
 * Every error code a client can see. The gateway maps each to one HTTP status (see apps/gateway), and the map is
 * typed as `Record<ErrorCode, number>`, so adding a code here without a status does not compile.
 */
export const ErrorCodeSchema = z.enum([
  'bad_request',
  'validation_failed',
  'not_found',
  'payload_too_large',
  'unsupported_media_type',
  'service_unavailable',
  'internal',
  'unauthorized_caller',
  'unauthenticated',
  'invalid_token',
  'not_a_member',
  'rate_limited',
  'provider_not_configured',
  'invalid_state',
  'signin_failed',
  'email_not_verified',
  'account_exists_with_different_provider',
  'identity_already_linked',
  'last_identity',
  'invalid_grant',
  'invalid_user_code',
  'cross_site_request',
  'forbidden',
  'last_admin',
  'batch_too_large',
  'invitation_expired',
  'invitation_revoked',
  'invitation_used',
  'invitation_email_mismatch',
  'invalid_invitation',
  'already_member',
  'invalid_credentials',
  'credential_in_query',
  'scope_insufficient',
  'account_archived',
  'already_in_organization',
  'transfer_pending',
  'policy_violation',
  'version_conflict',
  'sso_required',
  'signin_method_not_allowed',
  'public_email_domain',
  'domain_taken',
  'domain_not_verified',
]);
export type ErrorCode = z.infer<typeof ErrorCodeSchema>;

/**
 * One item of an error's `details`: with `validation_failed`, a field (`path` in dot notation, array items as
 * `[0]`) and what is wrong with it; with `sso_required`, the organization's SSO `loginUrl`.
 */
export const ErrorDetailSchema = z
  .object({
    path: z.string().optional(),
    message: z.string(),
    loginUrl: z.string().optional(),
  })
  .meta({ id: 'ErrorDetail' });
export type ErrorDetail = z.infer<typeof ErrorDetailSchema>;

/** An error as it crosses NATS. */
export const ErrorBodySchema = z.object({
  code: ErrorCodeSchema,
  message: z.string(),
  details: z.array(ErrorDetailSchema).optional(),
});
export type ErrorBody = z.infer<typeof ErrorBodySchema>;
