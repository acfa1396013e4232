import { ErrorCode } from './error-codes';
import { ServiceName } from './services';

/**
 * An error with a stable code, thrown by a service's domain code or by the RPC client. It crosses NATS as
 * `{ code, message }` and reaches HTTP clients as the error envelope; its message is written for the client.
 */
export class TesseraError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
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
