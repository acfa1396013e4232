import { existsSync, lstatSync, readFileSync, readdirSync } from 'node:fs';
import { join, posix } from 'node:path';
import dockerignore from '@balena/dockerignore';

export interface ContextEntry {
  /** Relative to the context's root, with `/` separators, as `.dockerignore` patterns see it. */
  path: string;
  type: 'file' | 'directory' | 'symlink';
}

/** What must never reach an image: host builds and dependencies (stale, another platform) and the history. */
const MUST_BE_IGNORED = ['node_modules', 'dist', '.git'];

/**
 * The files `docker build` would send from `root`: everything `.dockerignore` does not exclude, matched by Docker's
 * own rules (a pattern also excludes everything under a directory it matches; `!` takes a path back).
 */
export function buildContext(root: string): ContextEntry[] {
  const ignoreFile = join(root, '.dockerignore');
  if (!existsSync(ignoreFile))
    throw new Error(`${ignoreFile} is missing: node_modules, dist and .git would be sent into the image.`);
  const patterns = readFileSync(ignoreFile, 'utf8').split('\n');
  const ignored = dockerignore().add(patterns);
  const notIgnored = MUST_BE_IGNORED.filter((path) => !ignored.ignores(path));
  if (notIgnored.length > 0) throw new Error(`.dockerignore must exclude ${notIgnored.join(', ')}.`);
  // Without exceptions nothing under an excluded directory can come back, so the walk need not enter it.
  const hasExceptions = patterns.some((pattern) => pattern.trim().startsWith('!'));

  const entries: ContextEntry[] = [];
  const walk = (relative: string): void => {
    for (const name of readdirSync(join(root, relative)).sort()) {
      const path = relative ? `${relative}/${name}` : name;
      const stats = lstatSync(join(root, path));
      const type = stats.isSymbolicLink() ? 'symlink' : stats.isDirectory() ? 'directory' : 'file';
      const excluded = ignored.ignores(path);
      if (!excluded) entries.push({ path, type });
      if (type === 'directory' && (!excluded || hasExceptions)) walk(path);
    }
  };
  walk('');
  return entries;
}

/**
 * The entries a COPY source names: `.` is the whole context; otherwise the topmost entries the pattern matches
 * (Docker matches COPY sources with the same path rules as `.dockerignore`).
 */
export function matchSource(context: ContextEntry[], source: string): ContextEntry[] {
  const pattern = posix.normalize(source).replace(/^\/+/, '').replace(/\/+$/, '');
  if (pattern === '.' || pattern === '') return [{ path: '', type: 'directory' }];
  const matcher = dockerignore().add(pattern);
  const topmost = (path: string): boolean => {
    const parent = posix.dirname(path);
    return parent === '.' || !matcher.ignores(parent);
  };
  return context.filter((entry) => matcher.ignores(entry.path) && topmost(entry.path));
}
