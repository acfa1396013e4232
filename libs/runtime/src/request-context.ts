import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import { REQUEST_ID_PATTERN } from '@tessera/contracts';

export interface RequestContext {
  requestId: string;
}

/** The request being served, wherever the code is: log lines and outgoing calls read the request id from here. */
export const requestContext = new AsyncLocalStorage<RequestContext>();

export function currentRequestId(): string | undefined {
  return requestContext.getStore()?.requestId;
}

/** A caller's id if it is well-formed, else a fresh one: ids are trusted across hops but never echoed raw. */
export function acceptRequestId(candidate: string | undefined | null): string {
  return candidate && REQUEST_ID_PATTERN.test(candidate) ? candidate : randomUUID();
}
