import { HealthReport } from './health';
import {
  DeviceAuthorization,
  DeviceDecisionRequest,
  DeviceLookupReply,
  DevicePollReply,
  DevicePollRequest,
  Jwks,
  RefreshRequest,
  RevokeSessionRequest,
  SessionRef,
  SessionView,
  SignInCompleteReply,
  SignInCompleteRequest,
  SignInStartReply,
  SignInStartRequest,
  TokenGrant,
  UserSummary,
  UserView,
} from './identity';
import { AccountInfo } from './authz';
import { DomainsRpc } from './domains';
import { KeysRpc } from './keys';
import { OrganizationsRpc } from './organizations';
import { PoliciesRpc } from './policies';
import { SsoRpc } from './sso';
import { AccountView, EnsurePersonalAccountRequest, MembershipRequest, TeamsRpc } from './teams';
import { SERVICES, ServiceName } from './services';
import { AUTHZ_CHECK_SUBJECT } from './authz';

/**
 * The request-reply subjects of Tessera and their payloads: `subject: [request, reply]`.
 *
 * Subjects are a public contract between services that are deployed independently. To change one, add the new
 * subject beside the old, make the callers use it, and remove the old one only in a later release.
 */
export interface RpcContract
  extends HealthContract, TeamsRpc, OrganizationsRpc, PoliciesRpc, DomainsRpc, SsoRpc, KeysRpc {
  'tessera.identity.signin.start': [SignInStartRequest, SignInStartReply];
  'tessera.identity.signin.complete': [SignInCompleteRequest, SignInCompleteReply];
  'tessera.identity.token.refresh': [RefreshRequest, TokenGrant];
  'tessera.identity.session.resolve': [RefreshRequest, SessionRef];
  'tessera.identity.session.revoke': [RevokeSessionRequest, SessionRef];
  'tessera.identity.session.list': [{ userId: string }, SessionView[]];
  'tessera.identity.user.get': [{ userId: string }, UserView];
  'tessera.identity.user.get-many': [{ userIds: string[] }, UserSummary[]];
  'tessera.identity.identity.unlink': [{ userId: string; provider: string }, UserView];
  'tessera.identity.jwks.get': [Record<string, never>, Jwks];
  'tessera.identity.device.create': [{ clientId?: string }, DeviceAuthorization];
  'tessera.identity.device.poll': [DevicePollRequest, DevicePollReply];
  'tessera.identity.device.lookup': [{ userCode: string }, DeviceLookupReply];
  'tessera.identity.device.decide': [DeviceDecisionRequest, DeviceLookupReply];
  'tessera.teams.account.ensure-personal': [EnsurePersonalAccountRequest, AccountView];
  'tessera.teams.account.list-for-user': [{ userId: string }, AccountView[]];
  'tessera.teams.membership.get': [MembershipRequest, AccountView];
  'tessera.teams.account.get': [{ accountId: string }, AccountInfo];
}

type HealthContract = { [S in ServiceName as `tessera.${S}.health`]: [Record<string, never>, HealthReport] };

export type RpcSubject = keyof RpcContract;
export type RpcRequest<S extends RpcSubject> = RpcContract[S][0];
export type RpcReply<S extends RpcSubject> = RpcContract[S][1];

export function healthSubject<S extends ServiceName>(service: S): `tessera.${S}.health` {
  return `tessera.${service}.health`;
}

/**
 * The subjects a caller may use without a command token; every other subject a service answers refuses a call
 * without a valid one (`unauthorized_caller`). Kept small on purpose: health reports say only up or down, and the
 * decision point is asked by services outside Tessera that hold no secret (it answers a decision, never a
 * credential, and is a bare subscription of the gateway). Read-only subjects stay closed too: several return what
 * an outsider must not enumerate (sessions, e-mail addresses, memberships), and a token costs microseconds.
 */
export const OPEN_SUBJECTS: ReadonlySet<string> = new Set([
  ...SERVICES.map((service) => healthSubject(service)),
  AUTHZ_CHECK_SUBJECT,
]);

export function isOpenSubject(subject: string): boolean {
  return OPEN_SUBJECTS.has(subject);
}

/** `tessera.<service>.…` → `<service>`: names the service in errors without a lookup table. */
export function serviceOfSubject(subject: string): string {
  return subject.split('.')[1] ?? subject;
}
