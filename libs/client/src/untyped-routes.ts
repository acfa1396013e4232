import type {
  AccountView,
  AuthzCheckReply,
  BulkInviteReply,
  InvitationView,
  MemberView,
  PrincipalView,
  UserView,
} from '@tessera/contracts';
import type { paths } from './api';

/**
 * The routes the client calls that the API description does not type yet (their controllers declare no answer
 * schema, and some not all their path parameters): until it does, their answers are the shared contracts'.
 * Regenerating the types of a converted controller makes its entries here fail `RoutesTypedSinceListed`'s check
 * (libs/client/src/api-types.spec.ts): delete them then, and this file with the last one.
 */
export interface UntypedRoutes {
  '/v1/principal': { get: Answering<paths['/v1/principal']['get'], PrincipalView> };
  '/v1/me': { get: Answering<paths['/v1/me']['get'], UserView> };
  '/v1/me/accounts': { get: Answering<paths['/v1/me/accounts']['get'], AccountView[]> };
  '/v1/teams': { post: Answering<paths['/v1/teams']['post'], AccountView> };
  '/v1/teams/{id}/members': {
    get: Answering<InTeam<paths['/v1/teams/{id}/members']['get']>, MemberView[]>;
  };
  '/v1/teams/{id}/members/{userId}': {
    patch: Answering<InTeam<paths['/v1/teams/{id}/members/{userId}']['patch']>, MemberView>;
    delete: InTeam<paths['/v1/teams/{id}/members/{userId}']['delete']>;
  };
  '/v1/teams/{id}/invitations': {
    get: Answering<InTeam<paths['/v1/teams/{id}/invitations']['get']>, InvitationView[]>;
    post: Answering<InTeam<paths['/v1/teams/{id}/invitations']['post']>, InvitationView>;
  };
  '/v1/teams/{id}/invitations/bulk': {
    post: Answering<InTeam<paths['/v1/teams/{id}/invitations/bulk']['post']>, BulkInviteReply>;
  };
  '/v1/teams/{id}/invitations/{invitationId}': {
    delete: Answering<InTeam<paths['/v1/teams/{id}/invitations/{invitationId}']['delete']>, InvitationView>;
  };
  '/v1/teams/{id}/invitations/{invitationId}/resend': {
    post: Answering<
      InTeam<paths['/v1/teams/{id}/invitations/{invitationId}/resend']['post']>,
      InvitationView
    >;
  };
  '/v1/authz/check': { post: Answering<paths['/v1/authz/check']['post'], AuthzCheckReply> };
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

/** An operation of a team route whose `{id}` the description leaves out. */
type InTeam<Op extends Operation> = Omit<Op, 'parameters'> & {
  parameters: Omit<Op['parameters'], 'path'> & { path: { id: string } & DocumentedIds<Op> };
};

type DocumentedIds<Op extends Operation> = Op['parameters'] extends { path: infer Ids extends object }
  ? Ids
  : unknown;

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
