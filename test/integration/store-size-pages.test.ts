// The maintenance pass reads a pool's size columns a page at a time (store/sizes.ts sizePages): every
// row of the pool exactly once, rows of other pools never, rows sharing a created_at not skipped at a
// page boundary (the id breaks the tie), on both stores.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openStore } from '../../src/store/db.js';
import { migrate } from '../../src/store/migrations/index.js';
import { sizePages } from '../../src/store/sizes.js';
import { newId } from '../../src/domain/ids.js';
import { databaseUrl, testStores } from '../support/stores.js';
import { tempDir } from '../support/real.js';

for (const kind of testStores()) {
  test(`${kind}: a pool's snapshots come a page at a time, each once, ties across pages kept`, async (t) => {
    const store = await openStore(await databaseUrl(t, kind, tempDir(t)));
    t.after(() => store.close());
    await migrate(store.db, store.dialect);
    const row = (pool: string, i: number) => ({
      id: newId(),
      volume_id: `v-${pool}`,
      pool_id: pool,
      name: `s${i}`,
      display_name: `s${i}`,
      state: 'available',
      holds: '[]',
      sizes_at: null,
      subvol_id: 256 + i,
      referenced: i * 4096,
      exclusive: i,
      // Seven rows to a millisecond: page boundaries fall inside runs of equal created_at.
      created_at: new Date(Date.UTC(2026, 0, 1) + Math.floor(i / 7)).toISOString(),
    });
    const mine = Array.from({ length: 2503 }, (_, i) => row('p1', i));
    const other = Array.from({ length: 300 }, (_, i) => row('p2', i));
    for (let i = 0; i < mine.length; i += 500)
      await store.db
        .insertInto('snapshots')
        .values(mine.slice(i, i + 500))
        .execute();
    await store.db.insertInto('snapshots').values(other).execute();

    const pages: number[] = [];
    const seen = new Map<string, { subvol_id: number | null; referenced: number; exclusive: number }>();
    for await (const page of sizePages(store.db, 'snapshots', 'p1', 1000)) {
      pages.push(page.length);
      for (const r of page) {
        assert.ok(!seen.has(r.id), `row ${r.id} came twice`);
        seen.set(r.id, { subvol_id: r.subvol_id, referenced: r.referenced, exclusive: r.exclusive });
      }
    }
    assert.deepEqual(pages, [1000, 1000, 503]);
    assert.equal(seen.size, mine.length);
    for (const m of mine)
      assert.deepEqual(seen.get(m.id), {
        subvol_id: m.subvol_id,
        referenced: m.referenced,
        exclusive: m.exclusive,
      });

    // An exact multiple of the page size ends without an empty page's worth of surprises.
    const counts: number[] = [];
    for await (const page of sizePages(store.db, 'snapshots', 'p2', 100)) counts.push(page.length);
    assert.deepEqual(counts, [100, 100, 100]);
    for await (const page of sizePages(store.db, 'volumes', 'p1'))
      assert.fail(`no volumes, got ${page.length}`);
  });
}
