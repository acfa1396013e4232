import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { NatsContext } from '@nestjs/microservices';
import { REQUEST_ID_HEADER, TesseraError } from '@tessera/contracts';
import { Observable, tap } from 'rxjs';
import { Logger } from './logger';
import { acceptRequestId, requestContext } from './request-context';

/**
 * Runs each NATS handler inside the caller's request context, so its logs and onward calls keep the request id,
 * and writes one debug line per handled message (the per-hop trace of a request).
 */
@Injectable()
export class RequestContextInterceptor implements NestInterceptor {
  constructor(private readonly logger: Logger) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'rpc') return next.handle(); // HTTP requests get theirs from the gateway middleware
    const nats = context.switchToRpc().getContext<NatsContext>();
    const requestId = acceptRequestId(nats.getHeaders()?.get(REQUEST_ID_HEADER));
    const subject = nats.getSubject();
    const started = process.hrtime.bigint();
    const elapsedMs = () => Number((process.hrtime.bigint() - started) / 1000n) / 1000;
    const traced = tap({
      complete: () => this.logger.debug({ subject, durationMs: elapsedMs() }, 'handled'),
      error: (error: unknown) => {
        const code = error instanceof TesseraError ? error.code : 'internal';
        this.logger.debug({ subject, durationMs: elapsedMs(), code }, 'failed');
      },
    });
    // The handler runs when the stream is subscribed, so the context must wrap the subscription, not the call.
    return new Observable((subscriber) =>
      requestContext.run({ requestId }, () => next.handle().pipe(traced).subscribe(subscriber)),
    );
  }
}
