// Lint rules, including the layer arrows of STYLE.md §1: a wrong import fails the build.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const restrict = (patterns, message) => ({
  'no-restricted-imports': ['error', { patterns: patterns.map((group) => ({ group: [group], message })) }],
});

export default tseslint.config(
  { ignores: ['build/**', 'node_modules/**', 'eslint.config.js'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-imports': [
        'error',
        { paths: [{ name: 'child_process', message: 'only src/system/exec.ts runs programs' }, { name: 'node:child_process', message: 'only src/system/exec.ts runs programs' }] },
      ],
    },
  },
  { files: ['src/system/exec.ts', 'test/**/*.ts', 'bench/**/*.ts', 'scripts/**'], rules: { 'no-restricted-imports': 'off' } },
  { files: ['src/domain/**/*.ts'], rules: restrict(['**/store/**', '**/system/**', '**/services/**', '**/api/**', '**/jobs/**'], 'domain has no I/O') },
  { files: ['src/system/**/*.ts'], ignores: ['src/system/exec.ts'], rules: restrict(['**/store/**', '**/services/**', '**/api/**', '**/jobs/**', 'node:child_process', 'child_process'], 'system imports only domain') },
  { files: ['src/store/**/*.ts'], rules: restrict(['**/system/**', '**/services/**', '**/api/**'], 'store imports only domain') },
  { files: ['src/api/**/*.ts'], rules: restrict(['**/store/**', '**/system/**', 'node:child_process', 'child_process'], 'api calls services only') },
);
