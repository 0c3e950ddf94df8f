// The repository stands alone: no source, test, benchmark, script or document reads or points to
// files beside it (the design notes and API documents it was built from). Tests carry their own
// fixtures in test/fixtures/, and docs/ describes the design itself.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { REPO } from '../../support/cairn.js';

function* files(p: string): Generator<string> {
  if (!existsSync(p)) return;
  if (!statSync(p).isDirectory()) {
    yield p;
    return;
  }
  for (const name of readdirSync(p)) yield* files(join(p, name));
}

// Built from pieces so that this file does not match itself.
const OUTSIDE = [['..', 'shared'].join('/'), ['shared', 'seeds'].join('/')];

test('nothing in the repository mentions files outside it', () => {
  const offenders: string[] = [];
  for (const top of ['src', 'test', 'bench', 'scripts', 'docs', 'README.md'])
    for (const f of files(join(REPO, top))) {
      const text = readFileSync(f, 'utf8');
      for (const s of OUTSIDE) if (text.includes(s)) offenders.push(`${relative(REPO, f)}: ${s}`);
    }
  assert.deepEqual(offenders, []);
});
