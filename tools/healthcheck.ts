import { commonVariables, loadConfigOrExit } from '@tessera/config';
import { NatsNamespace, RpcClient, healthSubject, isServiceName } from '@tessera/contracts';
import { natsCredentials } from '@tessera/runtime';
import { connect } from 'nats';

/**
 * `node dist/tools/healthcheck.js <service>`: exit 0 when the service answers its health subject and reports
 * itself up. Container health checks use it, since most services have no HTTP port.
 */
async function main(): Promise<number> {
  const service = process.argv[2] ?? '';
  if (!isServiceName(service)) {
    process.stderr.write(`usage: healthcheck <gateway|identity|teams|keys|notifications>\n`);
    return 2;
  }
  const { natsUrls, natsUser, natsPassword, natsPrefix } = commonVariables;
  const config = loadConfigOrExit({ natsUrls, natsUser, natsPassword, natsPrefix });
  const nc = await connect({
    servers: config.natsUrls,
    ...natsCredentials(config),
    timeout: 3000,
    maxReconnectAttempts: 0,
  });
  try {
    const rpc = new RpcClient(nc, { timeoutMs: 3000, namespace: new NatsNamespace(config.natsPrefix) });
    const report = await rpc.request(healthSubject(service), {});
    process.stdout.write(`${JSON.stringify(report)}\n`);
    return report.status === 'up' ? 0 : 1;
  } finally {
    await nc.close();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : error}\n`);
    process.exit(1);
  },
);
