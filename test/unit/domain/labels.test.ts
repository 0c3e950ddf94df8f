// The pure rules of labels, display names and metadata, and the `?label=` filter syntax.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  applyPatch,
  displayNameProblems,
  labelFilters,
  labelPatchProblems,
  labelProblems,
  metadataProblems,
  parseLabelFilters,
} from '../../../src/domain/labels.js';
import { CairnError } from '../../../src/domain/errors.js';

const codes = (p: { code: string }[]) => p.map((x) => x.code);

test('label keys: letters, digits, . _ - / :, up to 253, no = or , or spaces', () => {
  for (const k of [
    'tier',
    'app.kubernetes.io/name',
    'com.docker.compose.project',
    '_x',
    'a:b',
    'x'.repeat(253),
  ])
    assert.deepEqual(labelProblems({ [k]: 'v' }), [], k);
  for (const k of ['', 'a b', 'k=v', 'a,b', '-x', '.x', 'x'.repeat(254), 'é'])
    assert.deepEqual(codes(labelProblems({ [k]: 'v' })), ['BAD_LABEL_KEY'], k);
});

test('label values: any text up to 1024 without control characters, empty included', () => {
  assert.deepEqual(labelProblems({ k: '' }), []);
  assert.deepEqual(labelProblems({ k: 'vol.snap-2017-02-27T21:15:12.328514381Z = ünïcode, yes' }), []);
  assert.deepEqual(codes(labelProblems({ k: 'a\tb' })), ['BAD_LABEL_VALUE']);
  assert.deepEqual(codes(labelProblems({ k: 'x'.repeat(1025) })), ['BAD_LABEL_VALUE']);
  assert.deepEqual(codes(metadataProblems({ k: 'x'.repeat(4096) })), []);
  assert.deepEqual(codes(metadataProblems({ 'a b': 'x'.repeat(4097) })), [
    'BAD_METADATA_KEY',
    'BAD_METADATA_VALUE',
  ]);
});

test('at most 64 labels, counted after a patch', () => {
  const many = Object.fromEntries(Array.from({ length: 64 }, (_, i) => [`k${i}`, 'v']));
  assert.deepEqual(labelProblems(many), []);
  assert.deepEqual(codes(labelProblems({ ...many, extra: 'v' })), ['TOO_MANY_LABELS']);
  assert.deepEqual(codes(labelPatchProblems(many, { extra: 'v' })), ['TOO_MANY_LABELS']);
  assert.deepEqual(labelPatchProblems(many, { extra: 'v', k0: null }), []);
});

test('a merge patch sets, replaces and removes keys, leaving the others', () => {
  assert.deepEqual(applyPatch({ a: '1', b: '2' }, { b: null, c: '3', a: '0' }), { a: '0', c: '3' });
  assert.deepEqual(applyPatch({}, { gone: null }), {});
});

test('display names: free text, not blank, at most 256, no control characters', () => {
  assert.deepEqual(displayNameProblems(undefined), []);
  assert.deepEqual(displayNameProblems('vol.snap-2017-02-27T21:15:12.328514381Z'), []);
  assert.deepEqual(displayNameProblems('Database (prod) / ünïcode'), []);
  for (const bad of ['', '   ', 'a\nb', 'x'.repeat(257)])
    assert.deepEqual(codes(displayNameProblems(bad)), ['BAD_DISPLAY_NAME'], JSON.stringify(bad));
});

test('label filters: key, key=value (the value may hold =), repeatable; bad ones named', () => {
  assert.deepEqual(parseLabelFilters(undefined), { filters: [], problems: [] });
  assert.deepEqual(parseLabelFilters('tier').filters, [{ key: 'tier' }]);
  assert.deepEqual(parseLabelFilters(['tier=gold', 'x=a=b', 'e=']).filters, [
    { key: 'tier', value: 'gold' },
    { key: 'x', value: 'a=b' },
    { key: 'e', value: '' },
  ]);
  assert.deepEqual(codes(parseLabelFilters(['=v', 'a b', 'ok']).problems), [
    'BAD_LABEL_FILTER',
    'BAD_LABEL_FILTER',
  ]);
  assert.deepEqual(codes(parseLabelFilters(Array.from({ length: 17 }, () => 'k')).problems), [
    'TOO_MANY_LABEL_FILTERS',
  ]);
  assert.throws(
    () => labelFilters('a b'),
    (e: unknown) => e instanceof CairnError && e.code === 'VALIDATION_FAILED',
  );
});
