import { HealthReport } from './health';
import { ServiceName } from './services';

/**
 * The request-reply subjects of Tessera and their payloads: `subject: [request, reply]`.
 *
 * Subjects are a public contract between services that are deployed independently. To change one, add the new
 * subject beside the old, make the callers use it, and remove the old one only in a later release.
 */
export type RpcContract = HealthContract;

type HealthContract = { [S in ServiceName as `tessera.${S}.health`]: [Record<string, never>, HealthReport] };

export type RpcSubject = keyof RpcContract;
export type RpcRequest<S extends RpcSubject> = RpcContract[S][0];
export type RpcReply<S extends RpcSubject> = RpcContract[S][1];

export function healthSubject<S extends ServiceName>(service: S): `tessera.${S}.health` {
  return `tessera.${service}.health`;
}

/** `tessera.<service>.…` → `<service>`: names the service in errors without a lookup table. */
export function serviceOfSubject(subject: string): string {
  return subject.split('.')[1] ?? subject;
}
