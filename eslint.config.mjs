import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import prettier from 'eslint-config-prettier';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  prettier,
  {
    languageOptions: { parserOptions: { projectService: false } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-syntax': [
        'error',
        {
          selector: "MemberExpression[object.name='process'][property.name='env']",
          message: 'Only libs/config reads process.env: take configuration from there.',
        },
      ],
    },
  },
  {
    files: ['apps/**', 'libs/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/libs/**', '**/apps/**'],
              message: 'Import other libraries through @tessera/* aliases.',
            },
          ],
        },
      ],
    },
  },
  {
    // The web console runs in browsers: React's rules of hooks, and browser globals instead of Node's.
    files: ['apps/console/**/*.{ts,tsx}'],
    ...reactHooks.configs.flat.recommended,
    languageOptions: { globals: globals.browser },
  },
  {
    files: [
      'libs/config/**',
      'libs/testing/**',
      // The CLI's entry point hands its environment to libs/client, which reads TESSERA_KEY and friends.
      'apps/cli/src/main.ts',
      // The SDK's zero-setup entry reads the calling script's environment, as `tessera` reads its own.
      'libs/client/src/create-client.ts',
      // The image check hands the machine's environment to the build steps it replays, as a base image would.
      'tools/check-image.ts',
      '**/*.spec.ts',
      '**/*.int-spec.ts',
      'jest.config.js',
      'test/**',
      'examples/**',
    ],
    rules: { 'no-restricted-syntax': 'off' },
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    languageOptions: {
      globals: {
        require: 'readonly',
        module: 'writable',
        process: 'readonly',
        __dirname: 'readonly',
        console: 'readonly',
      },
    },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
