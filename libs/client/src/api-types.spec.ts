import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

/** The client's types are generated from the API description: a description that moved on needs them again. */
describe('generated API types', () => {
  const root = resolve(__dirname, '..', '..', '..');
  const scratch = mkdtempSync(join(tmpdir(), 'tessera-api-types-'));
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  it('match docs/openapi.json', () => {
    const generated = join(scratch, 'api.d.ts');
    // The generator is ESM inside: run it as `npm run generate:client` does rather than load it into jest.
    execFileSync(
      resolve(root, 'node_modules', '.bin', 'openapi-typescript'),
      [
        resolve(root, 'docs', 'openapi.json'),
        '--redocly',
        resolve(root, 'tools', 'client-types.redocly.yaml'),
        '-o',
        generated,
      ],
      { stdio: 'pipe' },
    );
    const committed = readFileSync(resolve(root, 'libs', 'client', 'src', 'api.d.ts'), 'utf8');
    if (committed !== readFileSync(generated, 'utf8'))
      throw new Error('libs/client/src/api.d.ts is stale: run "npm run generate:client" and commit it.');
  });
});
