// The configuration is read once (src/daemon/config.ts, called by the daemon's main) and passed
// down: no other server module reads process.env. The CLI reads its own environment in its
// context module (it is the CLI's configuration), nowhere else.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sourceFiles } from '../../support/source.js';

/** Modules allowed to read process.env, each with why. */
const ALLOWED: Record<string, string> = {
  'src/daemon/main.ts': 'hands process.env to readConfig(), once, at start',
  'src/cli/context.ts': "the CLI's own configuration (CAIRN_URL, CAIRN_USER, …) and secrets named by --…-env",
};

test('nothing in src/ reads process.env outside the configuration modules', () => {
  const offenders = sourceFiles()
    .filter(
      ([f, text]) => !(f in ALLOWED) && /process\s*\.\s*env\b|process\s*\[\s*['"]env['"]\s*\]/.test(text),
    )
    .map(([f]) => f);
  assert.deepEqual(offenders, []);
});
