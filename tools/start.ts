import { ChildProcess, spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { allVariables, environmentWith, loadConfigOrExit } from '@tessera/config';
import { SERVICES, ServiceName } from '@tessera/contracts';
import { migrateServiceDatabase } from '@tessera/persistence';
import { dependencies, unreachable } from './dependencies';
import { developmentSecretKey } from './development-secret';
import { FirstRun, startFirstRun } from './first-run/first-run';
import { databaseServices } from './service-definitions';

/**
 * `npm start`: checks PostgreSQL, NATS and Redis, creates and migrates the database (granting each service's role
 * its schema), starts the development sign-in and mail catcher on a first run (see first-run.ts), starts the five
 * services, waits until `/health/services` answers 200 (every service up, not only what one gateway needs to
 * serve), and stops them all on Ctrl-C or SIGTERM (or when one of them dies).
 */
const READY_WITHIN_MS = 60_000;
const STOP_WITHIN_MS = 10_000;

const environment = environmentWith(
  environmentWith({}).TESSERA_SECRET_KEY ? {} : { TESSERA_SECRET_KEY: developmentSecretKey() },
);
const config = loadConfigOrExit(allVariables, environment);
const children = new Map<ServiceName, ChildProcess>();
let firstRun: FirstRun | undefined;
let stopping = false;

async function main(): Promise<void> {
  const problems = await unreachable(dependencies(config));
  if (problems.length > 0) {
    for (const line of problems) process.stderr.write(`✗ ${line}\n`);
    process.exit(1);
  }
  // As TESSERA_DATABASE_URL, before any service starts: a service given a login of its own does not migrate.
  for (const service of databaseServices) await migrateServiceDatabase(service.database(config));
  firstRun = await startFirstRun(config, environment);
  Object.assign(environment, firstRun.environment);

  for (const service of SERVICES) children.set(service, startService(service));
  process.on('SIGINT', () => void stop(0));
  process.on('SIGTERM', () => void stop(0));

  const gateway = `http://${config.httpHost === '0.0.0.0' ? '127.0.0.1' : config.httpHost}:${config.httpPort}`;
  const readiness = await waitUntilReady(`${gateway}/health/services`);
  if (stopping) return;
  if (readiness !== 'ready') {
    process.stderr.write(`✗ Tessera did not become ready within ${READY_WITHIN_MS / 1000} s: ${readiness}\n`);
    await stop(1);
    return;
  }
  const publicUrl = config.publicUrl.replace(/\/$/, '');
  const report = firstRun?.report.map((line) => `  ${line}\n`).join('') ?? '';
  process.stdout.write(
    `\n✓ Tessera is ready at ${publicUrl} (API docs: ${publicUrl}/docs). Press Ctrl-C to stop.\n${report}\n`,
  );
}

/**
 * Each service is its own process group, so Ctrl-C reaches only this supervisor, which then asks each child to
 * stop exactly once: a second signal would cut a child's graceful shutdown short.
 */
function startService(service: ServiceName): ChildProcess {
  const child = spawn(process.execPath, [resolve(__dirname, '..', 'apps', service, 'src', 'main.js')], {
    stdio: ['ignore', 'inherit', 'inherit'],
    env: environment,
    detached: true,
  });
  child.on('exit', (code, signal) => {
    children.delete(service);
    if (stopping) return;
    process.stderr.write(`✗ ${service} exited (${signal ?? `code ${code}`}); stopping Tessera.\n`);
    void stop(1);
  });
  return child;
}

async function waitUntilReady(url: string): Promise<'ready' | string> {
  const deadline = Date.now() + READY_WITHIN_MS;
  let last = 'the gateway is not answering yet';
  while (Date.now() < deadline && !stopping) {
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(5000) });
      if (response.status === 200) return 'ready';
      const body = (await response.json()) as { down?: string[] };
      last = `still down: ${(body.down ?? []).join(', ')}`;
    } catch {
      // the gateway is still starting
    }
    await new Promise((done) => setTimeout(done, 250));
  }
  return last;
}

async function stop(exitCode: number): Promise<void> {
  if (stopping) return;
  stopping = true;
  process.stderr.write('Stopping Tessera…\n');
  const exits = [...children.values()].map(
    (child) =>
      new Promise<void>((done) => (child.exitCode !== null ? done() : child.once('exit', () => done()))),
  );
  for (const child of children.values()) child.kill('SIGTERM');
  const killer = setTimeout(() => {
    for (const child of children.values()) child.kill('SIGKILL');
  }, STOP_WITHIN_MS);
  await Promise.all(exits);
  clearTimeout(killer);
  await firstRun?.stop();
  process.exit(exitCode);
}

main().catch((error: unknown) => {
  process.stderr.write(`✗ Tessera could not start: ${error instanceof Error ? error.message : error}\n`);
  void stop(1);
});
