import { HttpException } from '@nestjs/common';
import { ErrorCode, ServiceUnavailableError, TesseraError } from '@tessera/contracts';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ERROR_STATUS, codeForStatus } from './error-status';

export class ErrorDetail {
  @ApiProperty({ example: 'service_unavailable', description: 'Stable, machine-readable code.' })
  code!: ErrorCode;
  @ApiProperty({ example: 'The teams service is unavailable (timeout). Try again shortly.' })
  message!: string;
  @ApiProperty({
    example: '0193a1c4-7f0e-7c2a-9d4e-3f1b2a6c8d90',
    description: 'Also in the `x-request-id` header.',
  })
  requestId!: string;
  @ApiPropertyOptional({
    example: 'teams',
    description: 'With `service_unavailable`: the service that did not answer.',
  })
  service?: string;
}

/** Every error answer of the API: `{ "error": { code, message, requestId } }`. */
export class ErrorEnvelope {
  @ApiProperty({ type: ErrorDetail })
  error!: ErrorDetail;
}

/**
 * What a client may learn from an exception. Only `TesseraError` messages are written for clients; for Nest's HTTP
 * exceptions the status picks a code; everything else is an anonymous `internal` (and is logged by the filter).
 */
export function toErrorEnvelope(
  exception: unknown,
  requestId: string,
): { status: number; body: ErrorEnvelope } {
  if (exception instanceof TesseraError) {
    const service = exception instanceof ServiceUnavailableError ? { service: exception.service } : {};
    return {
      status: ERROR_STATUS[exception.code] ?? 500,
      body: { error: { code: exception.code, message: exception.message, requestId, ...service } },
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
