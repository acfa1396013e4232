import { HttpException } from '@nestjs/common';
import {
  ErrorCodeSchema,
  ErrorDetailSchema,
  ServiceUnavailableError,
  TesseraError,
} from '@tessera/contracts';
import { z } from 'zod';
import { ERROR_STATUS, codeForStatus } from './error-status';

/** Every error answer of the API: `{ "error": { code, message, requestId, details? } }`. */
export const ErrorEnvelopeSchema = z
  .object({
    error: z.object({
      code: ErrorCodeSchema.meta({ description: 'Stable, machine-readable code.' }),
      message: z.string().meta({ example: 'The teams service is unavailable (timeout). Try again shortly.' }),
      requestId: z.string().meta({ description: 'Also in the `x-request-id` header.' }),
      service: z
        .string()
        .optional()
        .meta({ description: 'With `service_unavailable`: the service that did not answer.' }),
      details: z.array(ErrorDetailSchema).optional().meta({
        description:
          'With `validation_failed`: each field that is wrong. With `sso_required`: the SSO login.',
      }),
    }),
  })
  .meta({ id: 'ErrorEnvelope' });
export type ErrorEnvelopeBody = z.infer<typeof ErrorEnvelopeSchema>;

/**
 * What a client may learn from an exception. Only `TesseraError` messages are written for clients; for Nest's HTTP
 * exceptions the status picks a code; everything else is an anonymous `internal` (and is logged by the filter).
 */
export function toErrorEnvelope(
  exception: unknown,
  requestId: string,
): { status: number; body: ErrorEnvelopeBody } {
  if (exception instanceof TesseraError) {
    const service = exception instanceof ServiceUnavailableError ? { service: exception.service } : {};
    const details = exception.details ? { details: [...exception.details] } : {};
    return {
      status: ERROR_STATUS[exception.code] ?? 500,
      body: {
        error: { code: exception.code, message: exception.message, requestId, ...service, ...details },
      },
    };
  }
  const status = statusOf(exception);
  if (status !== undefined && status < 500) {
    return {
      status,
      body: { error: { code: codeForStatus(status), message: clientMessage(exception), requestId } },
    };
  }
  return {
    status: 500,
    body: { error: { code: 'internal', message: 'An internal error occurred.', requestId } },
  };
}

/** Nest's `HttpException`s and Express/body-parser errors (`status`/`statusCode`, `expose`). */
function statusOf(exception: unknown): number | undefined {
  if (exception instanceof HttpException) return exception.getStatus();
  const candidate = exception as { status?: unknown; statusCode?: unknown; expose?: unknown };
  const status = candidate?.status ?? candidate?.statusCode;
  return typeof status === 'number' && candidate.expose === true ? status : undefined;
}

function clientMessage(exception: unknown): string {
  if (exception instanceof HttpException) {
    const response = exception.getResponse();
    const message = typeof response === 'object' ? (response as { message?: unknown }).message : response;
    if (Array.isArray(message)) return message.join('; ');
    if (typeof message === 'string') return message;
  }
  return exception instanceof Error ? exception.message : 'The request could not be processed.';
}
