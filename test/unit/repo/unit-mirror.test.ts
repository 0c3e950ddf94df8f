// test/unit/ mirrors src/: a module's unit tests are found at its path (test/unit/<path under
// src>/<module>.test.ts). Only the checks of the tree itself (architecture/, repo/) and the
// console's component tests (its code lives in console/, not src/) sit outside the mirror.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { REPO } from '../../support/cairn.js';

const OUTSIDE_SRC = new Set(['architecture', 'repo', 'console']);

function* dirs(root: string, rel = ''): Generator<string> {
  for (const name of readdirSync(join(root, rel))) {
    const r = rel ? `${rel}/${name}` : name;
    if (statSync(join(root, r)).isDirectory()) {
      yield r;
      yield* dirs(root, r);
    }
  }
}

/** The folders of test/unit that have no folder of the same path under src/. */
export function unmirrored(unitRoot: string, srcRoot: string): string[] {
  return [...dirs(unitRoot)].filter(
    (d) => !OUTSIDE_SRC.has(d.split('/')[0]!) && !existsSync(join(srcRoot, d)),
  );
}

test('every folder of test/unit/ is a folder of src/ (or a check of the tree)', () => {
  assert.deepEqual(unmirrored(join(REPO, 'test/unit'), join(REPO, 'src')), []);
});

test('a planted folder that src/ does not have is found', () => {
  const planted = unmirrored(join(REPO, 'test'), join(REPO, 'src'));
  // test/integration and test/support have no counterpart in src/: the check sees them.
  assert.ok(planted.includes('integration'), JSON.stringify(planted));
});
