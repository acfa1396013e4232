import { ChildProcess, spawn } from 'node:child_process';

const KEPT_OUTPUT_CHARS = 16_000;
const LAST_LINES = 40;

/** A service started from the image's tree, its output kept (the end of it) to explain a failure. */
export class ServiceProcess {
  private output = '';
  /** Set once the process has ended: how it ended. */
  ended?: string;
  readonly exited: Promise<void>;

  private constructor(
    readonly name: string,
    private readonly child: ChildProcess,
  ) {
    const keep = (chunk: Buffer): void => {
      this.output = (this.output + chunk.toString()).slice(-KEPT_OUTPUT_CHARS);
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    this.exited = new Promise((done) => {
      child.once('error', (error) => {
        this.ended = error.message;
        done();
      });
      child.once('exit', (code, signal) => {
        this.ended = signal ?? `exit code ${code}`;
        done();
      });
    });
  }

  static start(name: string, command: string[], cwd: string, env: Record<string, string>): ServiceProcess {
    const [file, ...args] = command;
    return new ServiceProcess(name, spawn(file, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] }));
  }

  /** The last lines the process printed, indented, for a failure message. */
  lastOutput(): string {
    const output = this.output.trimEnd();
    if (!output) return '    (nothing)';
    return output
      .split('\n')
      .slice(-LAST_LINES)
      .map((line) => `    ${line}`)
      .join('\n');
  }

  /** SIGTERM, as a container stop sends; SIGKILL after `withinMs`. Resolves true when SIGTERM was enough. */
  async stop(withinMs: number): Promise<boolean> {
    if (this.ended) return true;
    this.child.kill('SIGTERM');
    const killer = setTimeout(() => this.child.kill('SIGKILL'), withinMs);
    await this.exited;
    clearTimeout(killer);
    return this.ended !== 'SIGKILL';
  }
}
