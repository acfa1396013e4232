import createFetchClient from 'openapi-fetch';
import createQueryClient from 'openapi-react-query';
import type { components, paths } from '@tessera/api';
import { SignedOutError, accessToken, goToSignIn, renewAccessToken } from './session';

export type Schemas = components['schemas'];

/**
 * Every request carries the access token; a `401` means the token lapsed (or the session was revoked), so the
 * console renews it and tries exactly once more. A session that can't be renewed goes back to sign-in.
 */
async function authorizedFetch(request: Request): Promise<Response> {
  try {
    const retry = request.clone();
    const first = await send(request, await accessToken());
    if (first.status !== 401) return first;
    return await send(retry, await renewAccessToken());
  } catch (error) {
    if (error instanceof SignedOutError) goToSignIn();
    throw error;
  }
}

function send(request: Request, token: string): Promise<Response> {
  request.headers.set('authorization', `Bearer ${token}`);
  return fetch(request);
}

/** The typed client of the public API: paths, parameters and answers come from the OpenAPI document. */
export const api = createFetchClient<paths>({ baseUrl: window.location.origin, fetch: authorizedFetch });

/**
 * TanStack Query over the same client: `$api.useQuery('get', '/v1/teams/{id}/members', …)`. Its query key is
 * `[method, path, init]`, so a mutation invalidates every query of a route with `invalidate('/v1/…')`.
 */
export const $api = createQueryClient(api);
