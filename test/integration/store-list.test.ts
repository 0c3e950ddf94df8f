// listPage on each real store: paging by cursor through a sort column that holds NULLs returns
// every row once, in the order of one big page, in both directions and with a second sort key.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Kysely } from 'kysely';
import { openStore } from '../../src/store/db.js';
import { listPage } from '../../src/store/list.js';
import { listSpec, parseListQuery } from '../../src/domain/list.js';
import { databaseUrl, testStores } from '../support/stores.js';
import { newDataDir } from '../support/cairn.js';

const SPEC = listSpec({
  fields: {
    tag: { column: 'tag', type: 'string', filterable: true, sortable: true },
    n: { column: 'n', type: 'integer', filterable: true, sortable: true },
  },
  defaultSort: 'tag',
  tieBreaker: 'id',
});

const ROWS = [
  { id: 'r1', tag: null, n: 1 },
  { id: 'r2', tag: 'b', n: 2 },
  { id: 'r3', tag: null, n: 2 },
  { id: 'r4', tag: 'a', n: 1 },
  { id: 'r5', tag: 'b', n: 1 },
  { id: 'r6', tag: null, n: 3 },
  { id: 'r7', tag: 'c', n: 2 },
];

for (const store of testStores()) {
  test(`${store}: cursor paging through NULL sort values returns every row once, in order`, async (t) => {
    const opened = await openStore(await databaseUrl(t, store, newDataDir(t)));
    t.after(() => opened.close());
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const db = opened.db as unknown as Kysely<any>;
    await db.schema
      .createTable('list_probe')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('tag', 'text')
      .addColumn('n', 'integer', (c) => c.notNull())
      .execute();
    await db.insertInto('list_probe').values(ROWS).execute();
    const page = (q: Record<string, string>) =>
      listPage(
        db.selectFrom('list_probe').selectAll(),
        SPEC,
        parseListQuery(SPEC, q),
        opened.dialect,
        (r: { id: string }) => r.id,
      );
    for (const sort of ['tag', '-tag', 'tag,-n', '-tag,n', 'n,tag', '-n,-tag']) {
      const whole = (await page({ sort, limit: '100' })).items;
      assert.equal(whole.length, ROWS.length);
      for (const limit of ['1', '2', '3']) {
        const seen: string[] = [];
        let cursor: string | null = null;
        do {
          const p = await page(cursor ? { sort, limit, cursor } : { sort, limit });
          assert.equal(p.total, ROWS.length);
          seen.push(...p.items);
          cursor = p.next_cursor;
        } while (cursor && seen.length <= ROWS.length);
        assert.deepEqual(seen, whole, `sort=${sort} limit=${limit}`);
      }
    }
    // Filters on the same column still work beside it.
    assert.deepEqual((await page({ sort: 'n', tag__in: 'a,b' })).items, ['r4', 'r5', 'r2']);
  });
}
