import { ArgumentsHost, Catch, ExceptionFilter } from '@nestjs/common';
import { Logger, RpcErrorFilter, currentRequestId } from '@tessera/runtime';
import { Observable } from 'rxjs';
import { Request, Response } from 'express';
import { RateLimitedError } from '../limits/rate-limited.exception';
import { toErrorEnvelope } from './error-envelope';

/**
 * Writes every HTTP error as the envelope; unexpected ones are logged here with their stack, never sent. The
 * gateway's NATS handlers share the app's filters (a hybrid app's microservice cannot have its own), so their
 * errors are handed to the services' RPC filter.
 */
@Catch()
export class ErrorEnvelopeFilter implements ExceptionFilter {
  private readonly rpc: RpcErrorFilter;

  constructor(private readonly logger: Logger) {
    this.rpc = new RpcErrorFilter(logger);
  }

  catch(exception: unknown, host: ArgumentsHost): void | Observable<never> {
    if (host.getType() === 'rpc') return this.rpc.catch(exception, host);
    const http = host.switchToHttp();
    const request = http.getRequest<Request>();
    const response = http.getResponse<Response>();
    const { status, body } = toErrorEnvelope(
      exception,
      currentRequestId() ?? String(request.headers['x-request-id']),
    );
    // `unauthorized_caller` here means a service refused the gateway's own command token: secrets out of step.
    if (status >= 500 && body.error.code !== 'service_unavailable') {
      this.logger.error({ err: exception, method: request.method, path: request.path }, 'unhandled error');
    }
    if (exception instanceof RateLimitedError) response.setHeader('Retry-After', exception.retryAfterSeconds);
    response.status(status).json(body);
  }
}
