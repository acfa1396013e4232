import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { testCodeIn } from './test-code';

describe('testCodeIn', () => {
  let dist: string;

  beforeEach(() => (dist = mkdtempSync(join(tmpdir(), 'tessera-test-code-spec-'))));
  afterEach(() => rmSync(dist, { recursive: true, force: true }));

  const write = (path: string, content = ''): void => {
    mkdirSync(dirname(join(dist, path)), { recursive: true });
    writeFileSync(join(dist, path), content);
  };

  it('finds nothing in a tree of services and libraries', () => {
    write('apps/gateway/src/main.js', 'require("../../../libs/runtime/src");');
    write('libs/runtime/src/index.js');
    write('console/assets/index.js', 'testing');
    expect(testCodeIn(dist)).toEqual([]);
  });

  it('names the test helpers, benchmarks, compiled specs and modules importing the helpers', () => {
    write('libs/testing/src/index.js');
    write('bench/key-verify/main.js');
    write('apps/keys/src/keys.service.int-spec.js');
    write('apps/keys/src/main.js', 'const testing_1 = require("../../../libs/testing/src");');
    expect(testCodeIn(dist).sort()).toEqual([
      'apps/keys/src/keys.service.int-spec.js',
      'apps/keys/src/main.js (imports the test helpers)',
      'bench/',
      'libs/testing/',
    ]);
  });
});
