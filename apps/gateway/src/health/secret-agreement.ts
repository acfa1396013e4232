import { HealthReport, RpcClient, ServiceName, healthSubject } from '@tessera/contracts';

const BACKEND_SERVICES: ServiceName[] = ['identity', 'teams', 'keys', 'notifications'];

/** What the check found: every service that answered agrees, or the first one that does not, or none answered. */
export type SecretAgreement =
  | { outcome: 'agreed'; services: ServiceName[] }
  | { outcome: 'unknown' }
  | { outcome: 'mismatch'; message: string };

/**
 * Whether the gateway and the services share their root secret. The gateway has no data sealed under it, so it
 * cannot keep a fingerprint as the services do; instead it compares the public ids of its secrets with those each
 * service reports in its health. Both directions matter: a service must accept the gateway's current secret (it
 * checks the gateway's command tokens with it), and the gateway must know the service's current one (API key hashes
 * are made under it). A service that does not answer says nothing either way.
 */
export async function checkSecretAgreement(
  rpc: RpcClient,
  gatewayKeyIds: readonly string[],
  timeoutMs: number,
): Promise<SecretAgreement> {
  const reports = await Promise.all(
    BACKEND_SERVICES.map((service) =>
      rpc.request(healthSubject(service), {}, { timeoutMs }).then(
        (report): HealthReport | undefined => report,
        () => undefined,
      ),
    ),
  );
  const answered = reports.filter((report): report is HealthReport => report?.secretKeyIds !== undefined);
  for (const { service, secretKeyIds = [] } of answered) {
    const [serviceCurrent] = secretKeyIds;
    const [gatewayCurrent] = gatewayKeyIds;
    if (!secretKeyIds.includes(gatewayCurrent!) || !gatewayKeyIds.includes(serviceCurrent!)) {
      return {
        outcome: 'mismatch',
        message:
          `TESSERA_SECRET_KEY of the gateway (secret ${gatewayCurrent}) does not match ${service}'s (secret ` +
          `${serviceCurrent}, accepting ${secretKeyIds.join(', ')}): every Tessera process needs the same ` +
          'TESSERA_SECRET_KEY, and the same TESSERA_SECRET_KEY_PREVIOUS during a rotation. ' +
          'See README "Rotating TESSERA_SECRET_KEY".',
      };
    }
  }
  return answered.length > 0
    ? { outcome: 'agreed', services: answered.map(({ service }) => service) }
    : { outcome: 'unknown' };
}
