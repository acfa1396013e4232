import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

/** Folders of the repository that only tests and benchmarks use. */
const TEST_FOLDERS = ['libs/testing', 'bench', 'test'];
const SPEC_FILE = /\.(spec|int-spec|e2e-spec)\.js$/;
const REFERS_TO_TESTING = /libs\/testing\//;

/**
 * What in a compiled tree belongs to tests: the test-only folders, compiled specs, and any module that imports the
 * test helpers (which would then be missing, or be shipped). Returns their paths, relative to `dist`.
 */
export function testCodeIn(dist: string): string[] {
  const found: string[] = [];
  const walk = (relative: string): void => {
    for (const entry of readdirSync(join(dist, relative), { withFileTypes: true })) {
      const path = relative ? `${relative}/${entry.name}` : entry.name;
      if (entry.isDirectory()) {
        if (TEST_FOLDERS.includes(path)) found.push(`${path}/`);
        else walk(path);
      } else if (SPEC_FILE.test(entry.name)) {
        found.push(path);
      } else if (
        entry.name.endsWith('.js') &&
        REFERS_TO_TESTING.test(readFileSync(join(dist, path), 'utf8'))
      ) {
        found.push(`${path} (imports the test helpers)`);
      }
    }
  };
  walk('');
  return found;
}
