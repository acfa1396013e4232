import { ChildProcess, spawn } from 'node:child_process';
import { resolve } from 'node:path';

const DIST = resolve(__dirname, '..', '..', 'dist');

/** A compiled entry point (`npm test` builds first) run as its own process, as a user would run it. */
export class NodeProcess {
  stdout = '';
  stderr = '';
  readonly exited: Promise<number | null>;

  constructor(
    readonly child: ChildProcess,
    private readonly label: string,
  ) {
    child.stdout?.on('data', (chunk: Buffer) => (this.stdout += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (this.stderr += chunk.toString()));
    this.exited = new Promise((done) => child.once('exit', (code) => done(code)));
  }

  static start(entry: string, env: Record<string, string>): NodeProcess {
    const child = spawn(process.execPath, [resolve(DIST, entry)], { env: { ...process.env, ...env } });
    return new NodeProcess(child, entry);
  }

  /** Resolves when standard output contains the text; fails (with what was printed) if the process ends first. */
  async waitForOutput(text: string, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    let ended = false;
    void this.exited.then(() => (ended = true));
    while (!this.stdout.includes(text)) {
      if (ended || Date.now() > deadline) {
        throw new Error(
          `${this.label} never printed "${text}".\nstdout: ${this.stdout}\nstderr: ${this.stderr}`,
        );
      }
      await new Promise((done) => setTimeout(done, 100));
    }
  }
}
