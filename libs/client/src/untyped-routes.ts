import type { AccountView, UserView } from '@tessera/contracts';
import type { paths } from './api';

/**
 * The routes the client calls that the API description does not type yet (their controllers declare no answer
 * schema, and some not all their path parameters): until it does, their answers are the shared contracts'.
 * Regenerating the types of a converted controller makes its entries here fail `RoutesTypedSinceListed`'s check
 * (libs/client/src/api-types.spec.ts): delete them then, and this file with the last one.
 */
export interface UntypedRoutes {
  '/v1/me': { get: Answering<paths['/v1/me']['get'], UserView> };
  '/v1/me/accounts': { get: Answering<paths['/v1/me/accounts']['get'], AccountView[]> };
}

/** The description's paths, with the operations above in place of their untyped entries. */
export type ClientPaths = {
  [P in keyof paths]: P extends keyof UntypedRoutes
    ? Omit<paths[P], keyof UntypedRoutes[P]> & UntypedRoutes[P]
    : paths[P];
};

interface Operation {
  parameters: { path?: unknown };
  responses: object;
}

/** An operation of the description, answering `Answer` as JSON on success. */
type Answering<Op extends Operation, Answer> = Omit<Op, 'responses'> & {
  responses: { 200: { headers: Record<string, unknown>; content: { 'application/json': Answer } } };
};

/** The JSON a 2xx of the description carries; never when it documents none. */
type DocumentedAnswer<Op> = Op extends { responses: infer Responses }
  ? {
      [Status in keyof Responses]: Status extends 200 | 201
        ? Responses[Status] extends { content: { 'application/json': infer Json } }
          ? Json
          : never
        : never;
    }[keyof Responses]
  : never;

/** Entries above whose route the description now types (`never` while there are none). */
export type RoutesTypedSinceListed = {
  [P in keyof UntypedRoutes]: {
    [M in keyof UntypedRoutes[P]]: M extends keyof paths[P]
      ? [DocumentedAnswer<paths[P][M]>] extends [never]
        ? never
        : `${M & string} ${P}`
      : never;
  }[keyof UntypedRoutes[P]];
}[keyof UntypedRoutes];
