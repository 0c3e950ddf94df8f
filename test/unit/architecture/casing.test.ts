// One casing inside: a record (an interface named `…Record`, or `Job`) declares camelCase fields
// only; snake_case is for SQL columns and the wire. The reader is planted with a bad record first.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sourceFiles } from '../../support/source.js';

const RECORD_RE = /export interface (\w*Record|Job)\b[^{]*\{([\s\S]*?)\n\}/g;
const FIELD_RE = /^\s+([A-Za-z0-9_]+)\??:/gm;

/** Each snake_case field of a record declared in a source text, as `Record.field`. */
export function snakeRecordFields(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(RECORD_RE))
    for (const f of (m[2] ?? '').matchAll(FIELD_RE)) if (f[1]!.includes('_')) out.push(`${m[1]}.${f[1]}`);
  return out;
}

test('the reader finds a snake_case field in a record, and passes camelCase ones', () => {
  const planted =
    'export interface ThingRecord {\n  id: string;\n  pool_id: string;\n  createdAt?: string;\n}';
  assert.deepEqual(snakeRecordFields(planted), ['ThingRecord.pool_id']);
  assert.deepEqual(snakeRecordFields('export interface ThingRecord extends X {\n  poolId: string;\n}'), []);
  assert.deepEqual(snakeRecordFields('export interface Thing {\n  pool_id: string;\n}'), []);
});

test('no record in src/ has a snake_case field', () => {
  const found = sourceFiles().flatMap(([f, text]) => snakeRecordFields(text).map((x) => `${f}: ${x}`));
  assert.deepEqual(found, []);
});
