// No import cycle in src/ (type imports included): the layers only work if each module can be
// understood from what is below it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cycles, importGraph, importsOf, loopIn } from '../../support/imports.js';

test('the import reader sees every form of import', () => {
  const text = [
    "import { a } from './a.js';",
    "import type { B } from '../b.js';",
    "import './side.js';",
    "export { c } from './c.js';",
    "export * from './d.js';",
    "const e = await import('./e.js');",
    'import {\n  f,\n  type G,\n} from "./f.js";',
  ].join('\n');
  assert.deepEqual(importsOf(text), [
    './a.js',
    '../b.js',
    './side.js',
    './c.js',
    './d.js',
    './e.js',
    './f.js',
  ]);
});

test('the cycle finder finds a planted cycle and prints it', () => {
  const g = new Map([
    ['a', ['b']],
    ['b', ['c']],
    ['c', ['a', 'd']],
    ['d', []],
  ]);
  const found = cycles(g);
  assert.deepEqual(found, [['a', 'b', 'c']]);
  assert.deepEqual(loopIn(g, found[0]!), ['a', 'b', 'c', 'a']);
});

test('src/ has no import cycle', () => {
  const g = importGraph();
  assert.ok(g.size > 100, 'the graph covers src/');
  const found = cycles(g).map((scc) => `${scc.length} modules, e.g. ${loopIn(g, scc).join(' → ')}`);
  assert.deepEqual(found, []);
});
