import { API_KEY_PREFIX } from '@tessera/runtime';
import { NextFunction, Request, Response } from 'express';
import { REQUEST_ID_HEADER, TesseraError } from '@tessera/contracts';
import { toErrorEnvelope } from './error-envelope';

/** Query parameters that carry a credential in other APIs; on `/v1` they are refused rather than ignored. */
const CREDENTIAL_PARAMETERS = new Set(['key', 'api_key', 'apikey', 'access_token', 'authorization']);

/**
 * Refuses a credential in a URL (400 `credential_in_query`): URLs end up in proxy logs, browser history and
 * referrers. An API key is recognised anywhere by its prefix; on the API, common credential parameter names too.
 * Answered here, before routing (Nest's error filter does not see Express middleware), in the usual envelope.
 */
export function rejectCredentialsInQuery(request: Request, response: Response, next: NextFunction): void {
  if (!request.originalUrl.includes('?')) return next();
  const onApi = request.path.startsWith('/v1/');
  for (const [name, value] of new URL(request.originalUrl, 'http://query.invalid').searchParams) {
    if (value.startsWith(API_KEY_PREFIX) || (onApi && CREDENTIAL_PARAMETERS.has(name.toLowerCase()))) {
      const error = new TesseraError(
        'credential_in_query',
        'Credentials are not accepted in the URL. Send `Authorization: Key <key>` or `Authorization: Bearer <token>`.',
      );
      const { status, body } = toErrorEnvelope(error, String(request.headers[REQUEST_ID_HEADER]));
      response.status(status).json(body);
      return;
    }
  }
  next();
}
