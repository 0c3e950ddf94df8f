// listPage checks a list spec's columns at compile time: a spec naming a column its query does not
// select (VOLUME_LIST once sorted `used`, which the volumes table calls `referenced`) does not build.
// The checks are in the body of a function that never runs; tsc is what tests them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Kysely } from 'kysely';
import type { DB } from '../../../src/store/schema.js';
import type { StoreDialect } from '../../../src/store/dialect.js';
import { listPage } from '../../../src/store/list.js';
import { listSpec, parseListQuery } from '../../../src/domain/list.js';
import { VOLUME_LIST } from '../../../src/domain/volumes.js';

const WRONG = listSpec({
  fields: { used: { column: 'used', type: 'integer', filterable: true, sortable: true } },
  defaultSort: 'used',
  tieBreaker: 'id',
});

function compileOnly(db: Kysely<DB>, d: StoreDialect) {
  const q = db.selectFrom('volumes').selectAll();
  void listPage(q, VOLUME_LIST, parseListQuery(VOLUME_LIST, {}), d, (r) => r);
  // @ts-expect-error the volumes table has no column `used`
  void listPage(q, WRONG, parseListQuery(WRONG, {}), d, (r) => r);
  const noTie = listSpec({ fields: {}, defaultSort: '', tieBreaker: 'nope' });
  // @ts-expect-error nor does a tie breaker outside the query's rows
  void listPage(q, noTie, parseListQuery(noTie, {}), d, (r) => r);
}

test('list specs are checked against the query’s columns by the compiler', () => {
  assert.equal(typeof compileOnly, 'function');
  assert.equal(VOLUME_LIST.fields.used!.column, 'referenced');
});
