import { ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { freePort, waitForPort } from './free-port';

/** Debian installs nats-server outside a normal user's PATH; look there too. */
export function natsServerBinary(): string {
  const candidates = [
    ...(process.env.PATH ?? '').split(delimiter),
    '/usr/sbin',
    '/usr/local/bin',
    '/usr/local/sbin',
  ];
  for (const dir of candidates) {
    const path = join(dir, 'nats-server');
    if (dir && existsSync(path)) return path;
  }
  throw new Error('nats-server is not installed (Debian: apt-get install nats-server)');
}

/**
 * A nats-server with JetStream of a test's own, on a free loopback port with its own storage: tests can stop it
 * (an outage) and start it again on the same port and storage (recovery) without touching anyone else's NATS.
 */
export interface NatsServerOptions {
  /** A configuration file (users and permissions); port and storage still come from the test. */
  configFile?: string;
  /** Environment of the server process: the values its configuration file refers to. */
  env?: Record<string, string>;
}

export class NatsServerProcess {
  private child?: ChildProcess;

  private constructor(
    readonly port: number,
    private readonly storeDir: string,
    private readonly options: NatsServerOptions,
  ) {}

  static async start(options: NatsServerOptions = {}): Promise<NatsServerProcess> {
    // The port was free when the OS named it; another process may take it before the server binds. A server that
    // dies on start is tried again on another port, and a third failure names what it said.
    for (let attempt = 1; ; attempt += 1) {
      const storeDir = mkdtempSync(join(tmpdir(), 'tessera-nats-'));
      const server = new NatsServerProcess(await freePort(), storeDir, options);
      try {
        await server.resume();
        return server;
      } catch (error) {
        await server.destroy();
        if (attempt === 3) throw error;
      }
    }
  }

  /** The server's log: it names every publish or subscription a user's permissions refused. */
  log(): string {
    return existsSync(this.logFile) ? readFileSync(this.logFile, 'utf8') : '';
  }

  private get logFile(): string {
    return join(this.storeDir, 'nats-server.log');
  }

  get url(): string {
    return `nats://127.0.0.1:${this.port}`;
  }

  async resume(): Promise<void> {
    if (this.child) return;
    const { configFile, env } = this.options;
    const child = spawn(
      natsServerBinary(),
      [
        ...(configFile ? ['-c', configFile] : []),
        ...['-a', '127.0.0.1', '-p', String(this.port), '-js', '-sd', join(this.storeDir, 'jetstream')],
        ...['-l', this.logFile],
      ],
      { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, ...env } },
    );
    this.child = child;
    let said = '';
    child.stderr?.on('data', (chunk: Buffer) => (said += chunk.toString()));
    const died = new Promise<never>((_, reject) =>
      child.once('exit', (code, signal) => {
        if (this.child === child) this.child = undefined;
        reject(new Error(`nats-server exited (${signal ?? code}) before it listened: ${said || this.log()}`));
      }),
    );
    died.catch(() => undefined); // an exit after the port opened is a test's own outage, not an error here
    await Promise.race([waitForPort(this.port), died]);
  }

  async stop(): Promise<void> {
    const child = this.child;
    if (!child) return;
    this.child = undefined;
    const exited = new Promise((done) => child.once('exit', done));
    child.kill('SIGKILL'); // an outage, not a polite shutdown
    await exited;
  }

  async destroy(): Promise<void> {
    await this.stop();
    rmSync(this.storeDir, { recursive: true, force: true });
  }
}
