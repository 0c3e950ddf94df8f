// Lint rules, including the layer arrows of STYLE.md §1: a wrong import fails the build.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

// A layer folder reached from anywhere under src/ by climbing up: ../store/x, ../../store/x, ...
const up = (layer) => [1, 2, 3, 4, 5].map((n) => `${'../'.repeat(n)}${layer}/**`);

// The door to the OS (docs/architecture.md): outside src/system/ nothing writes files, opens
// sockets, makes HTTP calls, sends mail or runs programs. Reading files (existsSync, readFileSync:
// package.json, the console's folder, the CLI's config) and the pure address checks of node:net
// (isIP) stay allowed everywhere.
const DOOR = 'OS work goes through src/system/ (files.ts, partner/, notify.ts, probes.ts, exec.ts)';
const FS_WRITES = [
  'default',
  'promises',
  'appendFile',
  'chmod',
  'chown',
  'copyFile',
  'cp',
  'createWriteStream',
  'link',
  'lchown',
  'lutimes',
  'mkdir',
  'mkdtemp',
  'open',
  'rename',
  'rm',
  'rmdir',
  'symlink',
  'truncate',
  'unlink',
  'utimes',
  'write',
  'writeFile',
  'writev',
];
const OS_PATHS = [
  ...['child_process', 'node:child_process', 'http', 'node:http', 'https', 'node:https', 'tls', 'node:tls'],
  ...['dgram', 'node:dgram', 'nodemailer', 'undici'],
].map((name) => ({ name, message: DOOR }));
const OS_PARTS = [
  ...['fs', 'node:fs'].map((name) => ({
    name,
    importNames: FS_WRITES.flatMap((n) => (n === 'default' || n === 'promises' ? [n] : [n, `${n}Sync`])),
    message: `${DOOR}: no filesystem writes here`,
  })),
  ...['fs/promises', 'node:fs/promises'].map((name) => ({
    name,
    importNames: FS_WRITES.filter((n) => !['promises', 'createWriteStream', 'write', 'writev'].includes(n)),
    message: `${DOOR}: no filesystem writes here`,
  })),
  ...['net', 'node:net'].map((name) => ({
    name,
    allowImportNames: ['isIP', 'isIPv4', 'isIPv6'],
    message: `${DOOR}: only the address checks of node:net here`,
  })),
];
/** `paths` of no-restricted-imports outside src/system/ (every layer's rule repeats them). */
const OS_DOOR = [...OS_PATHS, ...OS_PARTS];
const OS_RULES = {
  'no-restricted-properties': [
    'error',
    { object: 'process', property: 'kill', message: `${DOOR} (system/process)` },
  ],
  'no-restricted-globals': ['error', { name: 'fetch', message: DOOR }],
};

const CLI_NEVER = ['store', 'system', 'services', 'jobs', 'api', 'areas', 'monitor', 'auth', 'daemon'];
const PROGRAMS = ['child_process', 'node:child_process'];
const restrict = (layers, message, extra = PROGRAMS, paths = OS_DOOR) => ({
  'no-restricted-imports': [
    'error',
    {
      paths,
      patterns: [...layers.flatMap(up), ...extra].map((group) => ({
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
      'no-restricted-imports': ['error', { paths: OS_DOOR }],
    },
  },
  { files: ['src/**/*.ts'], ignores: ['src/system/**'], rules: OS_RULES },
  {
    files: ['test/**/*.ts', 'bench/**/*.ts', 'scripts/**', 'console/**'],
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
      PROGRAMS,
      [],
    ),
  },
  {
    files: ['src/system/exec.ts', 'src/system/launcher.ts'],
    rules: restrict(['store', 'services', 'api', 'jobs'], 'system imports only domain', [], []),
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
    rules: restrict(CLI_NEVER, 'the CLI imports only domain and its own client'),
  },
  // The CLI is a program of its own: its HTTP client to cairnd is its door (it never imports system/).
  {
    files: ['src/cli/client.ts'],
    rules: restrict(CLI_NEVER, 'the CLI imports only domain and its own client', PROGRAMS, [
      ...OS_DOOR.filter((p) => !/https?$|tls$/.test(p.name)),
    ]),
  },
);
