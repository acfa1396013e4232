/**
 * Unit specs sit beside the code (`*.spec.ts`); integration and end-to-end specs are in `test/` (`*.int-spec.ts`, `*.e2e-spec.ts` in a browser).
 * Specs are transpiled without type checking (tsconfig.spec.json) for speed; `npm run typecheck` checks them.
 */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/apps', '<rootDir>/libs', '<rootDir>/tools', '<rootDir>/test'],
  testRegex: '\\.(spec|int-spec|e2e-spec)\\.ts$',
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.spec.json' }] },
  moduleNameMapper: { '^@tessera/(.*)$': '<rootDir>/libs/$1/src' },
  testTimeout: 60_000,
};
