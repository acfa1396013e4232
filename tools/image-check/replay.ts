import { spawn } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdirSync, readlinkSync, statSync, symlinkSync } from 'node:fs';
import { basename, dirname, join, posix, relative } from 'node:path';
import { ContextEntry, matchSource } from './build-context';
import { Stage, Step } from './dockerfile';

/** A replayed stage: its file system (a folder standing for `/`), working directory and environment. */
export interface StageTree {
  stage: Stage;
  root: string;
  workdir: string;
  env: Record<string, string>;
}

export interface ReplayOptions {
  /** The build context's root and what `.dockerignore` lets through from it. */
  contextRoot: string;
  context: ContextEntry[];
  /** An empty folder; each stage gets a folder of its own in it. */
  folder: string;
  /** The environment RUN commands start from (the base image's). */
  baseEnv: Record<string, string>;
  onStep(stage: Stage, step: Step, detail: string): void;
}

/**
 * Replays each stage's steps in order, as `docker build` would, on folders instead of image layers: COPY from the
 * context or from an earlier stage, WORKDIR, ENV, and RUN as a process whose working directory is the stage's.
 * Resolves with every stage; the last one is the image.
 */
export async function replayStages(stages: Stage[], options: ReplayOptions): Promise<StageTree[]> {
  const trees: StageTree[] = [];
  for (const [index, stage] of stages.entries()) {
    const tree: StageTree = { stage, root: join(options.folder, `stage-${index}`), workdir: '/', env: {} };
    mkdirSync(tree.root, { recursive: true });
    trees.push(tree);
    for (const step of stage.steps) {
      const started = Date.now();
      const detail = await replayStep(step, tree, trees, options);
      options.onStep(
        stage,
        step,
        `${detail}${detail ? ', ' : ''}${((Date.now() - started) / 1000).toFixed(1)} s`,
      );
    }
  }
  return trees;
}

async function replayStep(
  step: Step,
  tree: StageTree,
  trees: StageTree[],
  options: ReplayOptions,
): Promise<string> {
  const fail = (why: string): Error => new Error(`Dockerfile line ${step.line} (${step.text}): ${why}`);
  switch (step.kind) {
    case 'workdir':
      tree.workdir = posix.resolve(tree.workdir, step.path);
      mkdirSync(hostPath(tree, tree.workdir), { recursive: true });
      return '';
    case 'env':
      Object.assign(tree.env, step.variables);
      return '';
    case 'copy':
      return step.fromStage === undefined
        ? copyFromContext(step.sources, step.destination, tree, options, fail)
        : copyFromStage(
            step.sources,
            step.destination,
            tree,
            trees.find((t) => t.stage.name === step.fromStage)!,
            fail,
          );
    case 'run':
      await run(step.command, tree, options.baseEnv, fail);
      return '';
  }
}

function copyFromContext(
  sources: string[],
  destination: string,
  tree: StageTree,
  options: ReplayOptions,
  fail: (why: string) => Error,
): string {
  const target = hostPath(tree, posix.resolve(tree.workdir, destination));
  const wildcard = sources.some((source) => /[*?[]/.test(source));
  const intoDirectory = destination.endsWith('/') || sources.length > 1 || wildcard || isDirectory(target);
  let files = 0;
  for (const source of sources) {
    const matches = matchSource(options.context, source);
    if (matches.length === 0)
      throw fail(`nothing in the build context matches ${source} (is it in .dockerignore?)`);
    for (const match of matches) {
      if (match.type === 'directory') {
        // A directory's contents are copied, not the directory itself.
        const prefix = match.path ? `${match.path}/` : '';
        for (const entry of options.context.filter(
          (e) => e.path.startsWith(prefix) && e.path !== match.path,
        )) {
          copyEntry(options.contextRoot, entry, join(target, entry.path.slice(prefix.length)));
          if (entry.type !== 'directory') files += 1;
        }
      } else {
        copyEntry(options.contextRoot, match, intoDirectory ? join(target, basename(match.path)) : target);
        files += 1;
      }
    }
  }
  return `${files} file${files === 1 ? '' : 's'}`;
}

function copyFromStage(
  sources: string[],
  destination: string,
  tree: StageTree,
  from: StageTree,
  fail: (why: string) => Error,
): string {
  const target = hostPath(tree, posix.resolve(tree.workdir, destination));
  for (const source of sources) {
    if (/[*?[]/.test(source)) throw fail('a wildcard in a COPY --from source');
    const path = hostPath(from, posix.resolve(from.workdir, source));
    if (!existsSync(path)) throw fail(`${source} does not exist in stage ${from.stage.name}`);
    const into =
      isDirectory(path) || !(destination.endsWith('/') || isDirectory(target))
        ? target
        : join(target, basename(path));
    mkdirSync(dirname(into), { recursive: true });
    cpSync(path, into, { recursive: true, verbatimSymlinks: true });
  }
  return `from ${from.stage.name}`;
}

function copyEntry(root: string, entry: ContextEntry, to: string): void {
  if (entry.type === 'directory') {
    mkdirSync(to, { recursive: true });
    return;
  }
  mkdirSync(dirname(to), { recursive: true });
  if (entry.type === 'symlink') symlinkSync(readlinkSync(join(root, entry.path)), to);
  else copyFileSync(join(root, entry.path), to);
}

/**
 * The replay cannot give a command its own `/`, so a command that names the image's absolute paths would reach
 * this machine's instead: refuse it rather than run it.
 */
async function run(
  command: string[],
  tree: StageTree,
  baseEnv: Record<string, string>,
  fail: (why: string) => Error,
): Promise<void> {
  if (tree.workdir !== '/' && command.some((part) => absolutePathPattern(tree.workdir).test(part)))
    throw fail(
      `it names ${tree.workdir}, which is this machine's in a replay: use paths relative to WORKDIR`,
    );
  const [file, ...args] = command;
  const child = spawn(file, args, {
    cwd: hostPath(tree, tree.workdir),
    env: { ...baseEnv, ...tree.env },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((done, failed) => {
    child.once('error', failed);
    child.once('exit', (exitCode, exitSignal) => done([exitCode, exitSignal]));
  });
  if (code !== 0) throw fail(`it failed (${signal ?? `exit code ${code}`}); its output is above`);
}

function absolutePathPattern(path: string): RegExp {
  return new RegExp(`(^|[\\s'"=:])${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?=$|[\\s/'";&|)])`);
}

/** Where an absolute path of the stage's file system lives on this machine; never outside the stage's folder. */
export function hostPath(tree: StageTree, path: string): string {
  const host = join(tree.root, posix.resolve('/', path));
  if (relative(tree.root, host).startsWith('..')) throw new Error(`${path} leaves the stage's folder`);
  return host;
}

function isDirectory(path: string): boolean {
  return existsSync(path) && statSync(path).isDirectory();
}
