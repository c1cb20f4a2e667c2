// ESLint: rules that catch real bugs (typescript-eslint's type-checked set), plus import hygiene
// modelled on the aws-cdk repository's setup (grouped imports, no duplicates, no dev dependency
// reachable from the shipped library). No stylistic rules: formatting is not linted.
//   npm run lint        (zero warnings allowed)
import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import importX from 'eslint-plugin-import-x';
import tseslint from 'typescript-eslint';

export default defineConfig(
  {
    ignores: [
      '**/node_modules/**', '**/cdk.out/**', 'dist/**', 'coverage/**', 'bench/out/**', 'scratch/**',
      '**/*.d.ts', '**/*.js', 'scripts/consumer-app/**',
    ],
  },
  {
    files: ['**/*.ts'],
    extends: [js.configs.recommended, tseslint.configs.recommendedTypeChecked],
    languageOptions: {
      // One TypeScript program, the root tsconfig's (it includes examples/, mapped to lib/). Not
      // `projectService`: that opens each example's own tsconfig.json as one more program, each
      // loading aws-cdk-lib's types again (gigabytes of memory, minutes of CPU).
      parserOptions: { project: './tsconfig.json', tsconfigRootDir: import.meta.dirname },
    },
    plugins: { 'import-x': importX },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      // --- Imports (aws-cdk's groups: Node built-ins, then packages, then the project's own) ---
      // Not alphabetized: that is style, and would rewrite the import block of most files.
      'import-x/order': ['error', { groups: ['builtin', 'external'] }],
      'import-x/no-duplicates': 'error',
      'import-x/no-extraneous-dependencies': ['error', { devDependencies: true, peerDependencies: true }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],

      // --- Promises: the easiest mistakes to make (aws-cdk enables these too) ---
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/return-await': ['error', 'in-try-catch'],

      // --- Errors ---
      '@typescript-eslint/only-throw-error': 'error',

      // --- typescript-eslint's recommended-type-checked rules that do not fit this code base ---
      // Lambda handlers are async by contract, with or without an await inside.
      '@typescript-eslint/require-await': 'off',
      // `scope = this` picks a construct scope; the rule targets `const self = this` closures.
      '@typescript-eslint/no-this-alias': 'off',
      // The OpenAPI body and CloudFormation templates are JSON documents typed `any` on purpose
      // (ARCHITECTURE.md: typed definitions come step by step); flagging every read of them is noise.
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
    },
  },
  {
    // The shipped library: only peer dependencies (and Node built-ins) may be imported; a dev
    // dependency here would be missing in a consumer's app.
    files: ['lib/**/*.ts'],
    // lib/local (the local server) and lib/client (callers' helpers) are tools beside the construct
    // library: their packages are dev dependencies a consumer installs to use them (lib/local/engines.ts
    // names the command; @aws-sdk/client-lambda is in the Lambda runtime).
    ignores: ['lib/runtime/**', 'lib/local/**', 'lib/client/**'],
    rules: {
      'import-x/no-extraneous-dependencies': ['error', { devDependencies: false, peerDependencies: true, optionalDependencies: false }],
    },
  },
  {
    // Build scripts (plain ESM JavaScript, not type-checked).
    files: ['scripts/**/*.mjs'],
    extends: [js.configs.recommended],
    languageOptions: {
      globals: { console: 'readonly', process: 'readonly', Buffer: 'readonly' },
    },
  },
);
