import { test } from 'node:test';
import assert from 'node:assert/strict';
import { encodeCursor, mapPage, parseListQuery, type ListSpec } from '../../../src/domain/list.js';
import { CairnError } from '../../../src/domain/errors.js';

const spec: ListSpec = {
  fields: {
    name: { column: 'name', type: 'string', filterable: true, sortable: true },
    size: { column: 'size_bytes', type: 'integer', filterable: true, sortable: true },
    created: { column: 'created_at', type: 'time', filterable: true, sortable: true },
    enabled: { column: 'enabled', type: 'boolean', filterable: true },
  },
  defaultSort: '-created',
  tieBreaker: 'id',
};

const problems = (f: () => unknown): string[] => {
  try {
    f();
  } catch (e) {
    assert.ok(e instanceof CairnError);
    assert.equal(e.code, 'VALIDATION_FAILED');
    return (e.details.problems as { field: string }[]).map((p) => p.field);
  }
  assert.fail('expected VALIDATION_FAILED');
};

test('defaults: page of 100, default sort, no filters', () => {
  const p = parseListQuery(spec, {});
  assert.equal(p.limit, 100);
  assert.equal(p.offset, 0);
  assert.deepEqual(p.sort, [{ field: 'created', column: 'created_at', desc: true }]);
  assert.deepEqual(p.filters, []);
});

test('filters map wire names to columns with typed values', () => {
  const p = parseListQuery(spec, {
    name__contains: 'ab',
    size__gt: '10',
    size__in: '1,2',
    enabled: 'true',
    created__lt: '2026-01-01',
  });
  assert.deepEqual(
    p.filters.map((f) => [f.column, f.op, f.value]),
    [
      ['name', 'contains', 'ab'],
      ['size_bytes', 'gt', 10],
      ['size_bytes', 'in', [1, 2]],
      ['enabled', 'eq', 1],
      ['created_at', 'lt', '2026-01-01T00:00:00.000Z'],
    ],
  );
});

test('every problem is reported at once: unknown parameter, sort field, bad types, page size', () => {
  assert.deepEqual(
    problems(() =>
      parseListQuery(spec, { bogus: '1', sort: 'secret', size: 'x', limit: '5000', enabled__contains: 'a' }),
    ).sort(),
    ['bogus', 'enabled__contains', 'limit', 'size', 'sort'],
  );
});

test('cursor must match the sort and cannot be combined with offset', () => {
  const ok = parseListQuery(spec, { sort: 'name', cursor: encodeCursor(['b', 'id-1']) });
  assert.deepEqual(ok.cursor, ['b', 'id-1']);
  assert.deepEqual(
    problems(() => parseListQuery(spec, { sort: 'name,size', cursor: encodeCursor(['b', 'id']) })),
    ['cursor'],
  );
  assert.deepEqual(
    problems(() => parseListQuery(spec, { cursor: encodeCursor(['x', 'y']), offset: '3' })),
    ['cursor'],
  );
  assert.deepEqual(
    problems(() => parseListQuery(spec, { cursor: '!!notbase64' })),
    ['cursor'],
  );
});

test('extra route parameters are allowed when declared', () => {
  assert.doesNotThrow(() => parseListQuery(spec, { wait: '5' }, ['wait']));
  assert.deepEqual(
    problems(() => parseListQuery(spec, { wait: '5' })),
    ['wait'],
  );
});

test('mapPage maps each item and keeps the paging as it was', () => {
  const page = { items: [1, 2], total: 7, limit: 2, offset: 4, next_cursor: 'c' };
  assert.deepEqual(
    mapPage(page, (n) => `#${n}`),
    { items: ['#1', '#2'], total: 7, limit: 2, offset: 4, next_cursor: 'c' },
  );
});
