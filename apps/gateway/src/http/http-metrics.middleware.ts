import { httpRequestSeconds, httpRequests } from '@tessera/telemetry';
import { NextFunction, Request, Response } from 'express';

/** What requests that matched no route are counted under: the console's files, 404s, preflights. */
const NO_ROUTE = '(none)';

/**
 * Counts and times every request by method, status and route template (`/v1/teams/:teamId`, as the route was
 * declared), never the raw path: ids in paths would make a series per id, and paths may carry what no metric
 * should keep.
 */
export function httpMetricsMiddleware(request: Request, response: Response, next: NextFunction): void {
  const stop = httpRequestSeconds.start();
  response.on('finish', () => {
    const route = request.route ? `${request.baseUrl}${String(request.route.path)}` : NO_ROUTE;
    const { method } = request;
    stop({ method, route });
    httpRequests.inc({ method, route, status: response.statusCode });
  });
  next();
}
