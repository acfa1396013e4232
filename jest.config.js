/**
 * Unit specs sit beside the code (`*.spec.ts`); integration specs are in `test/` (`*.int-spec.ts`),
 * and so are the browser specs of the web console (`*.e2e-spec.ts`, Chromium driving the real stack).
 * Specs are transpiled without type checking (tsconfig.spec.json) for speed; `npm run typecheck` checks them.
 */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/apps', '<rootDir>/libs', '<rootDir>/tools', '<rootDir>/test'],
  testRegex: '\\.(spec|int-spec|e2e-spec)\\.ts$',
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.spec.json' }] },
  moduleNameMapper: { '^@tessera/(.*)$': '<rootDir>/libs/$1/src' },
  testTimeout: 60_000,
  // Every spec closes what it opens, yet on Node 24 jest's own parent process keeps one ref'd timer after the run
  // (no handle, no socket, no child left), and would wait for it indefinitely: exit once the results are reported.
  forceExit: true,
};
