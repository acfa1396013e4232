import { ErrorCode, ErrorDetail } from './error-codes';
import { ServiceName } from './services';

/**
 * An error with a stable code, thrown by a service's domain code or by the RPC client. It crosses NATS as
 * `{ code, message }` and reaches HTTP clients as the error envelope; its message is written for the client.
 */
export class TesseraError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    /** What the code alone does not say: the fields that failed validation, the SSO login to use instead, … */
    readonly details?: readonly ErrorDetail[],
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export type UnavailableReason = 'no_responders' | 'timeout' | 'disconnected';

/** A service did not answer: nobody listens on the subject, it took longer than the timeout, or NATS is gone. */
export class ServiceUnavailableError extends TesseraError {
  constructor(
    readonly service: ServiceName | string,
    readonly reason: UnavailableReason,
  ) {
    super(
      'service_unavailable',
      `The ${service} service is unavailable (${reason.replace('_', ' ')}). Try again shortly.`,
    );
  }
}
