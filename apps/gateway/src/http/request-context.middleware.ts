import { REQUEST_ID_HEADER } from '@tessera/contracts';
import { Logger, acceptRequestId, requestContext } from '@tessera/runtime';
import { NextFunction, Request, Response } from 'express';

/**
 * First on every request: picks the request id (the client's if well-formed), returns it in `x-request-id`, runs
 * the rest of the request inside its context, and writes one access-log line when the response is finished.
 * Only the path is logged, never the query string: links such as invitation accepts carry secrets there.
 */
export function requestContextMiddleware(logger: Logger) {
  return (request: Request, response: Response, next: NextFunction): void => {
    const requestId = acceptRequestId(request.header(REQUEST_ID_HEADER));
    request.headers[REQUEST_ID_HEADER] = requestId;
    response.setHeader(REQUEST_ID_HEADER, requestId);
    const started = process.hrtime.bigint();
    response.on('finish', () => {
      const line = {
        requestId,
        method: request.method,
        path: request.path,
        status: response.statusCode,
        durationMs: Number((process.hrtime.bigint() - started) / 1000n) / 1000,
      };
      // Probes hit health every few seconds; they stay out of the info log unless they fail.
      const quiet = request.path.startsWith('/health/') && response.statusCode < 400;
      logger[quiet ? 'debug' : 'info'](line, 'request');
    });
    requestContext.run({ requestId }, next);
  };
}
