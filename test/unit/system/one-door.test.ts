// Only src/system/exec.ts (and the launcher it starts programs through) may run programs: no other
// module imports child_process.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { REPO } from '../../support/cairn.js';

function* files(dir: string): Generator<string> {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) yield* files(p);
    else if (p.endsWith('.ts')) yield p;
  }
}

const DOORS = new Set(['src/system/exec.ts', 'src/system/launcher.ts']);

test('no module outside src/system/exec.ts and its launcher imports child_process', () => {
  const offenders: string[] = [];
  for (const f of files(join(REPO, 'src'))) {
    const rel = relative(REPO, f);
    if (DOORS.has(rel)) continue;
    if (
      /from\s+['"](node:)?child_process['"]|require\(['"](node:)?child_process['"]\)|import\(['"](node:)?child_process['"]\)/.test(
        readFileSync(f, 'utf8'),
      )
    )
      offenders.push(rel);
  }
  assert.deepEqual(offenders, []);
  assert.match(readFileSync(join(REPO, 'src/system/exec.ts'), 'utf8'), /node:child_process/);
});
