import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { NatsContext } from '@nestjs/microservices';
import { REQUEST_ID_HEADER, TesseraError } from '@tessera/contracts';
import { startRpcHandling } from '@tessera/telemetry';
import { Observable, tap } from 'rxjs';
import { Logger } from './logger';
import { acceptRequestId, requestContext } from './request-context';

/**
 * Runs each NATS handler inside the caller's request context, so its logs and onward calls keep the request id
 * and its trace (a server span, the child of the caller's), times it for the metrics, and writes one debug line
 * per handled message (the per-hop trace of a request in the logs).
 */
@Injectable()
export class RequestContextInterceptor implements NestInterceptor {
  constructor(private readonly logger: Logger) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'rpc') return next.handle(); // HTTP requests get theirs from the gateway middleware
    const nats = context.switchToRpc().getContext<NatsContext>();
    const headers = nats.getHeaders();
    const requestId = acceptRequestId(headers?.get(REQUEST_ID_HEADER));
    const subject = nats.getSubject();
    const handling = startRpcHandling(subject, headers);
    const started = process.hrtime.bigint();
    const elapsedMs = () => Number((process.hrtime.bigint() - started) / 1000n) / 1000;
    const traced = tap({
      complete: () => {
        handling.end('ok');
        this.logger.debug({ subject, durationMs: elapsedMs() }, 'handled');
      },
      error: (error: unknown) => {
        const code = error instanceof TesseraError ? error.code : 'internal';
        handling.end(code);
        this.logger.debug({ subject, durationMs: elapsedMs(), code }, 'failed');
      },
    });
    // The handler runs when the stream is subscribed, so the contexts must wrap the subscription, not the call.
    return new Observable((subscriber) =>
      requestContext.run({ requestId }, () =>
        handling.run(() => next.handle().pipe(traced).subscribe(subscriber)),
      ),
    );
  }
}
