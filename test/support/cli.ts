import { ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const BIN = resolve(__dirname, '..', '..', 'bin', 'tessera.js');

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * The `tessera` command as a user runs it (the package's bin, a child process), with its own home folder and
 * nothing of the test process's environment but PATH.
 */
export class CliUnderTest {
  private constructor(
    readonly home: string,
    private readonly host: string,
  ) {}

  static async create(host: string): Promise<CliUnderTest> {
    return new CliUnderTest(await mkdtemp(join(tmpdir(), 'tessera-cli-')), host);
  }

  get tesseraHome(): string {
    return join(this.home, '.tessera');
  }

  spawn(args: string[], env: Record<string, string> = {}, input?: string): ChildProcess {
    const child = spawn(process.execPath, [BIN, ...args], {
      env: { PATH: process.env.PATH, HOME: this.home, TESSERA_HOST: this.host, ...env },
    });
    child.stdin.end(input);
    return child;
  }

  run(args: string[], env: Record<string, string> = {}, input?: string): Promise<CliResult> {
    return outcome(this.spawn(args, env, input));
  }

  /** Runs with `--json` and parses standard output. */
  async json<T = unknown>(args: string[], env: Record<string, string> = {}): Promise<T> {
    const result = await this.run([...args, '--json'], env);
    if (result.code !== 0)
      throw new Error(`tessera ${args.join(' ')} exited ${result.code}: ${result.stderr}`);
    return JSON.parse(result.stdout) as T;
  }

  remove(): Promise<void> {
    return rm(this.home, { recursive: true, force: true });
  }
}

export function outcome(child: ChildProcess): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((done) => child.once('close', (code) => done({ code, stdout, stderr })));
}

/** Waits until the child has printed, on standard error, something matching `pattern`; answers the match. */
export function printed(child: ChildProcess, pattern: RegExp): Promise<RegExpExecArray> {
  return new Promise((found) => {
    let text = '';
    child.stderr!.on('data', (chunk: Buffer) => {
      text += chunk.toString();
      const match = pattern.exec(text);
      if (match) found(match);
    });
  });
}
