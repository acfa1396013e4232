import { ArgumentsHost, Catch, ExceptionFilter } from '@nestjs/common';
import { ErrorBody, TesseraError } from '@tessera/contracts';
import { Observable, throwError } from 'rxjs';
import { Logger } from './logger';

/**
 * The one place a service turns an exception into what crosses NATS: a `TesseraError` keeps its code and message;
 * anything else is logged here with its stack and leaves as a bare `internal`, so no stack reaches a client.
 */
@Catch()
export class RpcErrorFilter implements ExceptionFilter {
  constructor(private readonly logger: Logger) {}

  catch(exception: unknown, host: ArgumentsHost): Observable<never> {
    const body: ErrorBody =
      exception instanceof TesseraError
        ? {
            code: exception.code,
            message: exception.message,
            details: exception.details && [...exception.details],
          }
        : { code: 'internal', message: 'An internal error occurred.' };
    if (!(exception instanceof TesseraError)) {
      const subject = host.switchToRpc().getContext<{ getSubject?: () => string }>().getSubject?.();
      this.logger.error({ err: exception, subject }, 'unhandled error in a NATS handler');
    }
    return throwError(() => body);
  }
}
