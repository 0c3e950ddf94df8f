// Runs the console's component tests (vitest with a DOM, console/test/) from the suite's node:test,
// one subtest per vitest test, so scripts/test.sh counts them with the rest.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { REPO } from '../../support/cairn.js';

const CONSOLE = join(REPO, 'console');
const skip = existsSync(join(CONSOLE, 'node_modules/vitest')) ? false : 'console dependencies not installed';

interface VitestReport {
  testResults: { assertionResults: { fullName: string; status: string; failureMessages: string[] }[] }[];
}

test('console components (vitest, jsdom)', { skip }, async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'cairn-vitest-'));
  const out = join(dir, 'report.json');
  try {
    const r = spawnSync('npx', ['vitest', 'run', '--reporter=json', `--outputFile=${out}`], {
      cwd: CONSOLE,
      encoding: 'utf8',
      timeout: 300_000,
    });
    assert.ok(existsSync(out), `vitest wrote no report: ${r.stderr}${r.stdout}`);
    const report = JSON.parse(readFileSync(out, 'utf8')) as VitestReport;
    const results = report.testResults.flatMap((f) => f.assertionResults);
    assert.ok(results.length >= 10, `only ${results.length} component tests ran`);
    for (const a of results)
      await t.test(a.fullName, () => assert.equal(a.status, 'passed', a.failureMessages.join('\n')));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
