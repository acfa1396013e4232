import { ArgumentsHost, Catch, ExceptionFilter, UseFilters, applyDecorators } from '@nestjs/common';
import { ApiResponse } from '@nestjs/swagger';
import { DevicePollErrorSchema, ValidationFailedError } from '@tessera/contracts';
import { Response } from 'express';
import { z } from 'zod';
import { openApiSchemas } from '../http/openapi-schemas';

/** RFC 6749 §5.2 and RFC 8628 §3.5: the error codes of the two token endpoints. */
const OAuthErrorCodeSchema = z.enum([
  'invalid_request',
  'unsupported_grant_type',
  ...DevicePollErrorSchema.options,
]);
type OAuthErrorCode = z.infer<typeof OAuthErrorCodeSchema>;

const OAuthErrorBodySchema = z
  .object({ error: OAuthErrorCodeSchema, error_description: z.string() })
  .meta({ id: 'OAuthError' });

/** A refusal of a token endpoint, answered the OAuth way rather than with Tessera's envelope. */
export class OAuthError extends Error {
  constructor(
    readonly code: OAuthErrorCode,
    readonly description: string,
  ) {
    super(description);
  }
}

/**
 * The token endpoints answer errors the OAuth way: `{ error, error_description }` with 400, because OAuth clients
 * and libraries read that shape. A body the route's schema refuses is OAuth's `invalid_request`. Every other
 * error (rate limits, outages) keeps Tessera's envelope.
 */
@Catch(OAuthError, ValidationFailedError)
class OAuthErrorFilter implements ExceptionFilter {
  catch(exception: OAuthError | ValidationFailedError, host: ArgumentsHost): void {
    const error =
      exception instanceof OAuthError
        ? { error: exception.code, error_description: exception.description }
        : { error: 'invalid_request', error_description: exception.message };
    host
      .switchToHttp()
      .getResponse<Response>()
      .status(400)
      .setHeader('Cache-Control', 'no-store')
      .json(error);
  }
}

/** Answers and documents a token endpoint's errors in the OAuth shape. */
export function OAuthErrors(description: string): MethodDecorator {
  return applyDecorators(
    UseFilters(new OAuthErrorFilter()),
    ApiResponse({
      status: 400,
      description,
      content: { 'application/json': { schema: openApiSchemas.of(OAuthErrorBodySchema, 'output') } },
    }),
  );
}
