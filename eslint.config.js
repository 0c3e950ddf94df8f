// Lint rules, including the layer arrows of STYLE.md §1: a wrong import fails the build.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

// A layer folder reached from anywhere under src/ by climbing up: ../store/x, ../../store/x, ...
const up = (layer) => [1, 2, 3, 4, 5].map((n) => `${'../'.repeat(n)}${layer}/**`);
const restrict = (layers, message, extra = []) => ({
  'no-restricted-imports': [
    'error',
    {
      patterns: [...layers.flatMap(up), ...extra, 'child_process', 'node:child_process'].map((group) => ({
        group: [group],
        message,
      })),
    },
  ],
});

export default tseslint.config(
  {
    ignores: [
      'build/**',
      'node_modules/**',
      'eslint.config.js',
      'console/dist/**',
      'console/node_modules/**',
      'console/src/api/schema.d.ts',
      'test-results/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-imports': [
        'error',
        {
          paths: [
            { name: 'child_process', message: 'only src/system/exec.ts (and its launcher) runs programs' },
            {
              name: 'node:child_process',
              message: 'only src/system/exec.ts (and its launcher) runs programs',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['src/system/exec.ts', 'src/system/launcher.ts', 'test/**/*.ts', 'bench/**/*.ts', 'scripts/**'],
    rules: { 'no-restricted-imports': 'off' },
  },
  {
    files: ['src/domain/**/*.ts'],
    rules: restrict(
      ['**/store/**', '**/system/**', '**/services/**', '**/api/**', '**/jobs/**'],
      'domain has no I/O',
    ),
  },
  {
    files: ['src/system/**/*.ts'],
    ignores: ['src/system/exec.ts', 'src/system/launcher.ts'],
    rules: restrict(
      ['**/store/**', '**/services/**', '**/api/**', '**/jobs/**', 'node:child_process', 'child_process'],
      'system imports only domain',
    ),
  },
  {
    files: ['src/store/**/*.ts'],
    rules: restrict(['system', 'services', 'api'], 'store imports only domain'),
  },
  {
    files: ['src/api/**/*.ts'],
    rules: restrict(
      ['**/store/**', '**/system/**', 'node:child_process', 'child_process'],
      'api calls services only',
    ),
  },
  // The rest of the layering (docs/architecture.md): jobs never reach services, services never the
  // API, nothing below the wiring reaches the wiring, the CLI only the domain and its own client.
  {
    files: ['src/jobs/**/*.ts'],
    rules: restrict(
      ['services', 'api', 'areas', 'monitor', 'auth', 'cli', 'daemon'],
      'jobs imports domain, store, system only',
    ),
  },
  {
    files: ['src/services/**/*.ts'],
    rules: restrict(
      ['api', 'areas', 'cli', 'daemon'],
      'services never import the API, the wiring or the CLI',
    ),
  },
  {
    files: ['src/monitor/**/*.ts', 'src/auth/**/*.ts'],
    rules: restrict(
      ['api', 'areas', 'cli', 'daemon'],
      'monitor and auth never import the API, the wiring or the CLI',
    ),
  },
  {
    files: ['src/areas/**/*.ts'],
    rules: restrict(['cli'], 'the wiring never imports the CLI'),
  },
  {
    files: ['src/cli/**/*.ts'],
    rules: restrict(
      ['store', 'system', 'services', 'jobs', 'api', 'areas', 'monitor', 'auth', 'daemon'],
      'the CLI imports only domain and its own client',
    ),
  },
);
