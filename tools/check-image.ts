import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join, resolve } from 'node:path';
import { SERVICES, ServiceName } from '@tessera/contracts';
import { TestEnvironment, freePort } from '@tessera/testing';
import { ContextEntry, buildContext } from './image-check/build-context';
import { Stage, readDockerfile } from './image-check/dockerfile';
import { StageTree, hostPath, replayStages } from './image-check/replay';
import { ServiceProcess } from './image-check/service-process';
import { waitUntilServing } from './image-check/serving';
import { testCodeIn } from './image-check/test-code';

const USAGE = `Usage: npm run check:image [-- --keep]

Builds the image without Docker, then runs it: replays the Dockerfile's stages in a temporary folder (the same
COPYs, filtered by .dockerignore, the same WORKDIR, ENV and RUN steps), checks that the final stage's dist holds no
test code, starts every service from that tree with \`node dist/...\` against PostgreSQL, NATS and Redis on this
machine (a database and a nats-server of its own, as the tests do), and waits until the gateway reports each one up.
A runtime dependency left in devDependencies, a lifecycle script or a file the image lacks fails it.

Run it with the Node the image names (put that Node first in PATH); it needs PostgreSQL, Redis, nats-server and
the npm registry, as \`npm test\` and \`npm ci\` do.

  --keep   keep the temporary folder (its path is printed) to look at what the image holds
  --help   this text
`;

const ROOT = resolve(__dirname, '..', '..');
const SERVING_WITHIN_MS = 180_000;
const STOP_WITHIN_MS = 10_000;

const say = (line: string): void => void process.stdout.write(`${line}\n`);

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  if (args.includes('--help')) {
    process.stdout.write(USAGE);
    return 0;
  }
  const unknown = args.filter((arg) => arg !== '--keep');
  if (unknown.length > 0) {
    process.stderr.write(`Unknown argument ${unknown.join(' ')}.\n\n${USAGE}`);
    return 2;
  }
  const keep = args.includes('--keep');

  const stages = readDockerfile(join(ROOT, 'Dockerfile'));
  const context = buildContext(ROOT);
  const folder = mkdtempSync(join(tmpdir(), 'tessera-image-'));
  say(`check:image: replaying the Dockerfile's ${stages.length} stages in ${folder}`);
  try {
    const image = await replay(stages, context, folder);
    checkNoTestCode(image);
    await runServices(image);
    say('✓ The image builds, holds no test code, and every service starts from it and reports up.');
    return 0;
  } finally {
    if (keep) say(`Kept ${folder}`);
    else rmSync(folder, { recursive: true, force: true });
  }
}

async function replay(stages: Stage[], context: ContextEntry[], folder: string): Promise<StageTree> {
  const trees = await replayStages(stages, {
    contextRoot: ROOT,
    context,
    folder,
    baseEnv: baseImageEnvironment(),
    onStep: (stage, step, detail) => say(`[${stage.name}] ${step.text}${detail ? ` (${detail})` : ''}`),
  });
  for (const tree of trees) {
    const nodeTag = /^node:(\d[\d.]*)/.exec(tree.stage.image)?.[1];
    if (nodeTag && !`${process.versions.node}.`.startsWith(`${nodeTag}.`))
      say(
        `  note: stage ${tree.stage.name} is ${tree.stage.image}, replayed with Node ${process.versions.node}`,
      );
  }
  return trees.at(-1)!;
}

/**
 * RUN steps see the machine's environment as a base image's, without what `npm run` adds: its `npm_*` settings
 * (one of them points npm at this repository, not the stage) and NODE_ENV, which only the Dockerfile may set.
 * This Node comes first in PATH, so `npm` and `node` in a step are the Node the check runs on.
 */
function baseImageEnvironment(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (value === undefined || name.startsWith('npm_') || name === 'INIT_CWD' || name === 'NODE_ENV')
      continue;
    env[name] = value;
  }
  env.PATH = [dirname(process.execPath), process.env.PATH].filter(Boolean).join(delimiter);
  return env;
}

function checkNoTestCode(image: StageTree): void {
  const dist = hostPath(image, join(image.workdir, 'dist'));
  if (!existsSync(dist)) throw new Error(`The final stage has no ${join(image.workdir, 'dist')}.`);
  const found = testCodeIn(dist);
  if (found.length > 0) throw new Error(`The final stage's dist holds test code:\n  ${found.join('\n  ')}`);
  say(`[${image.stage.name}] dist holds no test code`);
}

/** The image's CMD must be one service's entry point; every service runs the same way from the same tree. */
function entryPoints(image: StageTree): Map<ServiceName, string[]> {
  const entry = (service: ServiceName): string => `dist/apps/${service}/src/main.js`;
  const cmd = image.stage.cmd ?? [];
  if (cmd[0] !== 'node' || !SERVICES.some((service) => cmd[1] === entry(service)))
    throw new Error(`The image's CMD (${JSON.stringify(cmd)}) is not \`node\` with a service's entry point.`);
  return new Map(SERVICES.map((service) => [service, [process.execPath, entry(service)]]));
}

async function runServices(image: StageTree): Promise<void> {
  const commands = entryPoints(image);
  const environment = await TestEnvironment.start();
  const port = await freePort();
  // Only what a container has: PATH, the image's ENV and Tessera's settings; nothing else from this shell.
  const env: Record<string, string> = {
    PATH: dirname(process.execPath),
    ...image.env,
    ...environment.env({
      TESSERA_HTTP_HOST: '127.0.0.1',
      TESSERA_HTTP_PORT: String(port),
      TESSERA_LOG_LEVEL: 'warn',
    }),
  };
  const cwd = hostPath(image, image.workdir);
  say(
    `Starting ${[...commands.keys()].join(', ')} from the final stage (NODE_ENV=${env.NODE_ENV ?? 'unset'})`,
  );
  const processes = [...commands].map(([service, command]) =>
    ServiceProcess.start(service, command, cwd, env),
  );
  const stop = async (): Promise<void> => {
    const stopped = await Promise.all(processes.map((service) => service.stop(STOP_WITHIN_MS)));
    const killed = processes.filter((_, index) => !stopped[index]).map((service) => service.name);
    if (killed.length > 0)
      say(`  note: ${killed.join(', ')} did not stop within ${STOP_WITHIN_MS / 1000} s of SIGTERM`);
    await environment.stop();
  };
  const interrupted = (): void => void stop().then(() => process.exit(130));
  process.once('SIGINT', interrupted);
  try {
    await waitUntilServing(`http://127.0.0.1:${port}`, SERVICES, processes, SERVING_WITHIN_MS, (line) =>
      say(`  ${line}`),
    );
  } catch (error) {
    // The processes that died say why; when none did, every one's output may.
    const exited = processes.filter((service) => service.ended);
    const explained = (exited.length > 0 ? exited : processes).map(
      (service) => `  ${service.name} (${service.ended ?? 'running'}):\n${service.lastOutput()}`,
    );
    throw new Error(`${(error as Error).message}\nWhat the services printed last:\n${explained.join('\n')}`);
  } finally {
    process.removeListener('SIGINT', interrupted);
    await stop();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`✗ check:image failed: ${error instanceof Error ? error.message : error}\n`);
    process.exit(1);
  },
);
