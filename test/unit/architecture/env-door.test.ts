// The configuration is read once and passed down: cairnd's in src/daemon/config.ts (RuntimeConfig),
// the CLI's in src/cli/config.ts (the CLI is a program of its own). No other module in src/ reads
// the environment, in any spelling; the check is tried on planted readers so it cannot go blind.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sourceFiles } from '../../support/source.js';

/** Modules allowed to read process.env, each with why. */
const ALLOWED: Record<string, string> = {
  'src/daemon/config.ts': "cairnd's flags and environment, read once at start (readConfig)",
  'src/cli/config.ts': "the CLI's own configuration (CAIRN_URL, CAIRN_USER, …) and secrets named by --…-env",
};

const READS_ENV = [
  /\bprocess\s*\.\s*env\b/, // process.env.X, process.env[x]
  /\bprocess\s*\[\s*['"`]env['"`]\s*\]/, // process['env']
  /\{[^}]*\benv\b[^}]*\}\s*=\s*(globalThis\s*\.\s*)?process\b/, // const { env } = process
  /import\s*\{[^}]*\benv\b[^}]*\}\s*from\s*['"](node:)?process['"]/, // import { env } from 'node:process'
  /\bprocess\s*\.\s*getenv\b|\bDeno\s*\.\s*env\b/,
];

const readsEnv = (text: string): boolean => READS_ENV.some((r) => r.test(text));

test('nothing in src/ reads the environment outside the two configuration modules', () => {
  const offenders = sourceFiles()
    .filter(([f, text]) => !(f in ALLOWED) && readsEnv(text))
    .map(([f]) => f);
  assert.deepEqual(offenders, []);
});

test('the allowed modules exist and do read it (the list is not stale)', () => {
  const files = new Map(sourceFiles());
  for (const f of Object.keys(ALLOWED)) assert.ok(readsEnv(files.get(f) ?? ''), f);
});

test('every planted way of reading the environment is caught', () => {
  const planted = [
    'const x = process.env.CAIRN_POOL_CHECK_MS;',
    "const x = process.env['CAIRN_X'];",
    "const x = process['env'].CAIRN_X;",
    'const { env } = process;',
    'const { env: e, argv } = globalThis.process;',
    "import { env } from 'node:process';",
    "import { argv, env } from 'process';",
  ];
  assert.deepEqual(
    planted.filter((code) => !readsEnv(code)),
    [],
  );
  // Words that only look alike are not readers.
  assert.equal(readsEnv('const environment = cfg.env; // process environment'), false);
});
