import { SERVICES, RpcClient, healthSubject } from '@tessera/contracts';
import { TestEnvironment, freePort } from '@tessera/testing';
import { connect } from 'nats';
import { NodeProcess } from './support/run-node';

/** `npm start` and the service entry points as processes: what a newcomer and an operator see. */
describe('starting Tessera', () => {
  let environment: TestEnvironment;

  beforeAll(async () => {
    environment = await TestEnvironment.start();
  });

  afterAll(async () => {
    await environment?.stop();
  });

  it('starts all five services, reports ready, and stops every one of them on SIGTERM', async () => {
    const port = await freePort();
    const started = Date.now();
    const tessera = NodeProcess.start('tools/start.js', environment.env({ TESSERA_HTTP_PORT: String(port) }));
    try {
      await tessera.waitForOutput('Tessera is ready', 60_000);
      process.stdout.write(`npm start → ready in ${Date.now() - started} ms\n`);
      expect(tessera.stdout).toContain('/docs');

      // "Ready" from `npm start` means every service is up, which is more than one gateway needs to serve.
      const services = await fetch(`http://127.0.0.1:${port}/health/services`);
      expect(services.status).toBe(200);
      const body = (await services.json()) as { services: Record<string, { status: string }> };
      expect(Object.keys(body.services).sort()).toEqual([...SERVICES].sort());
      expect((await fetch(`http://127.0.0.1:${port}/health/ready`)).status).toBe(200);
    } finally {
      tessera.child.kill('SIGTERM');
    }
    expect(await tessera.exited).toBe(0);

    // Every child is gone: nobody answers any health subject, and the HTTP port is closed.
    const nc = await connect({ servers: environment.nats.url });
    const rpc = new RpcClient(nc, { timeoutMs: 1000 });
    for (const service of SERVICES) {
      await expect(rpc.request(healthSubject(service), {})).rejects.toMatchObject({
        reason: 'no_responders',
      });
    }
    await nc.close();
    await expect(fetch(`http://127.0.0.1:${port}/health/live`)).rejects.toThrow();
  });

  it('exits at once, naming the dependency, its address and how to start it, when one is unreachable', async () => {
    const closedPort = await freePort();
    const started = Date.now();
    const tessera = NodeProcess.start(
      'tools/start.js',
      environment.env({ TESSERA_REDIS_URL: `redis://127.0.0.1:${closedPort}` }),
    );
    expect(await tessera.exited).toBe(1);
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(tessera.stderr).toContain(`Redis is not reachable at 127.0.0.1:${closedPort}`);
    expect(tessera.stderr).toContain('docker compose up -d redis');
    expect(tessera.stderr).not.toMatch(/^\s+at /m);
  });

  it('refuses a bad configuration with one line per variable and no stack trace', async () => {
    const gateway = NodeProcess.start('apps/gateway/src/main.js', {
      TESSERA_HTTP_PORT: 'http',
      TESSERA_NATS_URL: 'http://127.0.0.1:4222',
      TESSERA_HEALTH_TIMEOUT_MS: '-1',
    });
    expect(await gateway.exited).toBe(1);
    const lines = gateway.stderr.trim().split('\n');
    expect(lines[0]).toBe('Invalid configuration:');
    expect(lines.slice(1).map((line) => line.trim().split(':')[0])).toEqual([
      'TESSERA_NATS_URL',
      'TESSERA_SECRET_KEY',
      'TESSERA_HTTP_PORT',
      'TESSERA_HEALTH_TIMEOUT_MS',
    ]);
    expect(gateway.stderr).not.toMatch(/^\s+at /m);
  });
});
