import { z } from 'zod';
import { AUTHZ_CHECK_SUBJECT } from './authz';
import { DOMAINS_RPC } from './domains';
import { HealthReportSchema } from './health';
import { IDENTITY_RPC } from './identity';
import { KEYS_RPC } from './keys';
import { ORGANIZATIONS_RPC } from './organizations';
import { POLICIES_RPC } from './policies';
import { NoPayload, RpcSchemas, rpc } from './schema';
import { SECRETS_RESOLVE_SUBJECT, SECRETS_RPC } from './secrets';
import { SERVICES, ServiceName } from './services';
import { SSO_RPC } from './sso';
import { TEAMS_RPC } from './teams';

const HEALTH_RPC = Object.fromEntries(
  SERVICES.map((service) => [healthSubject(service), rpc(NoPayload, HealthReportSchema)]),
) as { [S in ServiceName as `tessera.${S}.health`]: RpcSchemas<typeof NoPayload, typeof HealthReportSchema> };

/**
 * The request-reply subjects of Tessera: `subject → { request, reply }` schemas. The caller's `RpcClient` and the
 * responder's `@Rpc(subject)` handler are both typed from an entry, and the responder validates every request
 * with it before its handler runs.
 *
 * Subjects are a public contract between services that are deployed independently. To change one, add the new
 * subject beside the old, make the callers use it, and remove the old one only in a later release.
 */
export const RPC_SCHEMAS = {
  ...HEALTH_RPC,
  ...IDENTITY_RPC,
  ...TEAMS_RPC,
  ...ORGANIZATIONS_RPC,
  ...POLICIES_RPC,
  ...DOMAINS_RPC,
  ...SSO_RPC,
  ...KEYS_RPC,
  ...SECRETS_RPC,
} satisfies Record<string, RpcSchemas>;

export type RpcSubject = keyof typeof RPC_SCHEMAS;
/** What a caller sends: the request before its schema parses it (defaults may be left out). */
export type RpcRequest<S extends RpcSubject> = z.input<(typeof RPC_SCHEMAS)[S]['request']>;
export type RpcReply<S extends RpcSubject> = z.output<(typeof RPC_SCHEMAS)[S]['reply']>;
/** What a responder's handler receives: the request after its schema parsed it (defaults filled in). */
export type RpcPayload<S extends RpcSubject> = z.output<(typeof RPC_SCHEMAS)[S]['request']>;

export function healthSubject<S extends ServiceName>(service: S): `tessera.${S}.health` {
  return `tessera.${service}.health`;
}

/**
 * The subjects a caller may use without a command token; every other subject a service answers refuses a call
 * without a valid one (`unauthorized_caller`). Kept small on purpose: health reports say only up or down, and the
 * decision point is asked by services outside Tessera that hold no secret (it answers a decision, never a
 * credential, and is a bare subscription of the gateway); so is `tessera.secrets.resolve`, which answers only what
 * the credential it is given may read. Read-only subjects stay closed too: several return what
 * an outsider must not enumerate (sessions, e-mail addresses, memberships), and a token costs microseconds.
 */
export const OPEN_SUBJECTS: ReadonlySet<string> = new Set([
  ...SERVICES.map((service) => healthSubject(service)),
  AUTHZ_CHECK_SUBJECT,
  SECRETS_RESOLVE_SUBJECT,
]);

export function isOpenSubject(subject: string): boolean {
  return OPEN_SUBJECTS.has(subject);
}

/** `tessera.<service>.…` → `<service>`: names the service in errors without a lookup table. */
export function serviceOfSubject(subject: string): string {
  return subject.split('.')[1] ?? subject;
}
