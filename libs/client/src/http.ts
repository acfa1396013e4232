import { TesseraApiError, TesseraConnectionError } from './errors';

export interface HttpRequest {
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  path: string;
  query?: Record<string, string | undefined>;
  /** JSON body, or a string sent as `text/csv`. */
  body?: unknown;
  headers?: Record<string, string>;
}

const REQUEST_TIMEOUT_MS = 30_000;

/** One HTTP call to the API: JSON in and out, and every refusal turned into a `TesseraApiError`. */
export async function send<T>(host: string, request: HttpRequest): Promise<T> {
  const url = new URL(request.path, host);
  for (const [name, value] of Object.entries(request.query ?? {}))
    if (value !== undefined) url.searchParams.set(name, value);
  const headers: Record<string, string> = { accept: 'application/json', ...request.headers };
  let body: string | undefined;
  if (typeof request.body === 'string') {
    headers['content-type'] = 'text/csv';
    body = request.body;
  } else if (request.body !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(request.body);
  }
  let response: Response;
  try {
    response = await fetch(url, {
      method: request.method,
      headers,
      body,
      redirect: 'manual',
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
  } catch (error) {
    const reason =
      error instanceof Error ? ((error.cause as Error | undefined)?.message ?? error.message) : '';
    throw new TesseraConnectionError(host, `Cannot reach Tessera at ${host}${reason ? ` (${reason})` : ''}.`);
  }
  const text = await response.text();
  const payload = parse(text);
  if (response.ok) return (text === '' ? undefined : payload) as T;
  throw refusal(host, response, payload);
}

function parse(text: string): unknown {
  try {
    return text === '' ? undefined : JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** Both error shapes of the API: `{ error: { code, message } }`, and OAuth's `{ error, error_description }`. */
function refusal(host: string, response: Response, payload: unknown): Error {
  const requestId = response.headers.get('x-request-id') ?? undefined;
  const error = (payload as { error?: unknown } | undefined)?.error;
  if (error && typeof error === 'object') {
    const { code, message } = error as { code: TesseraApiError['code']; message: string };
    return new TesseraApiError(response.status, code, message, requestId);
  }
  if (typeof error === 'string') {
    const description = (payload as { error_description?: string }).error_description;
    return new TesseraApiError(
      response.status,
      error as TesseraApiError['code'],
      description ?? error,
      requestId,
    );
  }
  return new TesseraConnectionError(
    host,
    `${host} answered HTTP ${response.status} without a Tessera error: is this Tessera's address?`,
  );
}
