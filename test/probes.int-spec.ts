import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { ServiceName } from '@tessera/contracts';
import { TestEnvironment, eventually, freePort } from '@tessera/testing';
import { NodeProcess } from './support/run-node';

type BackendName = Exclude<ServiceName, 'gateway'>;
const BACKENDS: BackendName[] = ['identity', 'teams', 'keys', 'notifications'];

/**
 * The compose file's health check script, exactly as the container runs it: compose turns `$$` into `$`, and the
 * folded lines into one.
 */
function composeProbe(): string {
  const compose = readFileSync(resolve(__dirname, '..', 'docker-compose.yml'), 'utf8');
  const block = /\nx-http-probe: &http-probe >-\n((?: {2}.*\n)+)/.exec(compose);
  if (!block) throw new Error('no x-http-probe in docker-compose.yml');
  return block[1]
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean)
    .join(' ')
    .replaceAll('$$', '$');
}

/** Runs the probe against a port and path; answers its exit status and how long it took. */
function probe(port: number, path: string): { status: number | null; ms: number } {
  const started = process.hrtime.bigint();
  const { status } = spawnSync('bash', ['-c', composeProbe(), String(port), path], { timeout: 10_000 });
  return { status, ms: Number(process.hrtime.bigint() - started) / 1e6 };
}

async function getJson(url: string): Promise<{ status: number; body: unknown }> {
  const response = await fetch(url);
  return { status: response.status, body: await response.json() };
}

/** The entry points as a container runs them: probed on their health ports, stopped with SIGTERM. */
describe('container probes and shutdown', () => {
  let environment: TestEnvironment;

  beforeAll(async () => {
    environment = await TestEnvironment.start();
  });

  afterAll(async () => {
    await environment?.stop();
  });

  it('answers the compose health check from each process, and each stops by itself on SIGTERM', async () => {
    const ports = new Map<ServiceName, number>();
    for (const name of [...BACKENDS, 'gateway'] as const) ports.set(name, await freePort());
    const env = (name: ServiceName) =>
      environment.env({
        TESSERA_LOG_LEVEL: 'info',
        ...(name === 'gateway'
          ? // No database credentials: an empty value counts as unset, and the gateway reads none anyway.
            {
              TESSERA_HTTP_PORT: String(ports.get(name)),
              TESSERA_HTTP_HOST: '127.0.0.1',
              TESSERA_DATABASE_URL: '',
            }
          : { TESSERA_HEALTH_PORT: String(ports.get(name)) }),
      });
    const processes = new Map<ServiceName, NodeProcess>();
    for (const name of BACKENDS)
      processes.set(name, NodeProcess.start(`apps/${name}/src/main.js`, env(name)));
    processes.set('gateway', NodeProcess.start('apps/gateway/src/main.js', env('gateway')));
    const url = (name: ServiceName, path: string) => `http://127.0.0.1:${ports.get(name)}${path}`;

    try {
      for (const name of BACKENDS) {
        await eventually(
          async () => expect((await getJson(url(name, '/health/ready'))).status).toBe(200),
          60_000,
          250,
        );
        const ready = await getJson(url(name, '/health/ready'));
        expect(ready.body).toEqual({
          status: 'up',
          checks: {
            nats: { status: 'up' },
            database: { status: 'up' },
            ...(name === 'notifications' ? { redis: { status: 'up' } } : {}),
          },
        });
        expect(await getJson(url(name, '/health/live'))).toEqual({ status: 200, body: { status: 'live' } });
        expect(await getJson(url(name, '/metrics'))).toEqual({
          status: 404,
          body: { error: { code: 'not_found', message: expect.any(String) } },
        });
        const checked = probe(ports.get(name)!, '/health/ready');
        process.stdout.write(
          `compose health check of ${name}: exit ${checked.status} in ${checked.ms.toFixed(1)} ms\n`,
        );
        expect(checked.status).toBe(0);
      }
      await eventually(
        () => expect(probe(ports.get('gateway')!, '/health/ready').status).toBe(0),
        60_000,
        250,
      );
      expect(probe(ports.get('gateway')!, '/health/nothing-here').status).not.toBe(0);
    } finally {
      const stopped = [...processes].map(async ([name, running]) => {
        const started = Date.now();
        running.child.kill('SIGTERM');
        await running.exited;
        process.stdout.write(`${name} stopped on SIGTERM in ${Date.now() - started} ms\n`);
        return [name, running.child.signalCode ?? running.child.exitCode] as const;
      });
      // Each exits on its own (Nest re-raises SIGTERM once its shutdown hooks have run): none is killed.
      for (const [, ending] of await Promise.all(stopped)) expect([0, 'SIGTERM']).toContain(ending);
    }
    for (const name of BACKENDS) expect(probe(ports.get(name)!, '/health/ready').status).not.toBe(0);
  });
});
