import { TesseraApiError, TesseraConnectionError } from './errors';

const REQUEST_TIMEOUT_MS = 30_000;

/** One exchange with the API, with its timeout; a host that cannot be reached is a `TesseraConnectionError`. */
export async function exchange(
  host: string,
  request: Request,
  timeoutMs = REQUEST_TIMEOUT_MS,
): Promise<Response> {
  try {
    return await fetch(request, { signal: AbortSignal.timeout(timeoutMs) });
  } catch (error) {
    const reason =
      error instanceof Error ? ((error.cause as Error | undefined)?.message ?? error.message) : '';
    throw new TesseraConnectionError(host, `Cannot reach Tessera at ${host}${reason ? ` (${reason})` : ''}.`);
  }
}

/**
 * A JSON form to one of the sign-in endpoints (device login, token refresh, logout), which the hand-written
 * layer calls before there is a credential to send; answers the JSON reply.
 */
export async function post<T>(host: string, path: string, body: object, timeoutMs?: number): Promise<T> {
  const response = await exchange(
    host,
    new Request(new URL(path, host), {
      method: 'POST',
      headers: { accept: 'application/json', 'content-type': 'application/json' },
      body: JSON.stringify(body),
      redirect: 'manual',
    }),
    timeoutMs,
  );
  if (!response.ok) throw await refusal(host, response);
  return parse(await response.text()) as T;
}

function parse(text: string): unknown {
  try {
    return text === '' ? undefined : JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** Both error shapes of the API: `{ error: { code, message, details? } }`, and OAuth's `{ error, error_description }`. */
export async function refusal(host: string, response: Response): Promise<Error> {
  const payload = parse(await response.text());
  const requestId = response.headers.get('x-request-id') ?? undefined;
  const error = (payload as { error?: unknown } | undefined)?.error;
  if (error && typeof error === 'object') {
    const { code, message, details } = error as Pick<TesseraApiError, 'code' | 'message' | 'details'>;
    return new TesseraApiError(response.status, code, message, requestId, details);
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
