// Label filters at scale: 100,000 snapshots with labels, listed by `label=key=value` and `label=key`
// (several ANDed) through the store's list, on both stores. The filter is SQL on the labels'
// (key, value) index: SQLite's plan searches that index and never scans the label table.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openStore } from '../../src/store/db.js';
import { migrate } from '../../src/store/migrations/index.js';
import { SnapshotStore } from '../../src/store/snapshots.js';
import { labelConditions } from '../../src/store/labels.js';
import { parseListQuery } from '../../src/domain/list.js';
import { SNAPSHOT_LIST } from '../../src/domain/volumes.js';
import { newId } from '../../src/domain/ids.js';
import { databaseUrl, testStores } from '../support/stores.js';
import { tempDir } from '../support/real.js';

const N = 100_000;

for (const kind of testStores()) {
  test(`${kind}: ${N} labelled snapshots filter by label in SQL, on the index`, async (t) => {
    const store = await openStore(await databaseUrl(t, kind, tempDir(t)));
    t.after(() => store.close());
    await migrate(store.db, store.dialect);
    const db = store.db;
    const ids: string[] = [];
    const t0 = Date.now();
    for (let i = 0; i < N; i += 1000) {
      const rows = Array.from({ length: 1000 }, (_, j) => {
        const n = i + j;
        const id = newId();
        ids.push(id);
        return {
          id,
          volume_id: `v${n % 4}`,
          pool_id: 'p',
          name: `s${n}`,
          display_name: `s${n}`,
          state: 'available',
          holds: '[]',
          sizes_at: null,
          subvol_id: null,
          referenced: 0,
          exclusive: 0,
          created_at: new Date(Date.UTC(2026, 0, 1) + n * 1000).toISOString(),
        };
      });
      await db.transaction().execute(async (trx) => {
        await trx.insertInto('snapshots').values(rows).execute();
        // every snapshot: its number; one in a thousand "hourly", the rest "daily"
        const labels = rows.flatMap((r, j) => [
          { object_id: r.id, key: 'n', value: String(i + j) },
          { object_id: r.id, key: 'schedule', value: (i + j) % 1000 === 0 ? 'hourly' : 'daily' },
        ]);
        for (let k = 0; k < labels.length; k += 500)
          await trx
            .insertInto('snapshot_labels')
            .values(labels.slice(k, k + 500))
            .execute();
      });
    }
    t.diagnostic(`inserted ${N} snapshots with ${2 * N} labels in ${Date.now() - t0} ms`);

    const snaps = new SnapshotStore(db, store.dialect);
    const list = async (labels: { key: string; value?: string }[], q: Record<string, string> = {}) => {
      const started = Date.now();
      const page = await snaps.list(
        parseListQuery(SNAPSHOT_LIST, { limit: '50', ...q }),
        { pools: null, labels },
        (s) => s.name,
      );
      t.diagnostic(`${JSON.stringify(labels)} ${JSON.stringify(q)}: ${Date.now() - started} ms`);
      return page;
    };
    const hourly = await list([{ key: 'schedule', value: 'hourly' }]);
    assert.equal(hourly.total, N / 1000);
    assert.deepEqual(hourly.items.slice(0, 3), ['s0', 's1000', 's2000']);
    const one = await list([
      { key: 'schedule', value: 'daily' },
      { key: 'n', value: '4242' },
    ]);
    assert.deepEqual(one.items, ['s4242']);
    assert.equal(one.total, 1);
    assert.equal(
      (
        await list([
          { key: 'schedule', value: 'hourly' },
          { key: 'n', value: '4242' },
        ])
      ).total,
      0,
    );
    const ofVolume = await list([{ key: 'schedule', value: 'hourly' }], {
      volume: 'v0',
      sort: '-created_at',
    });
    assert.equal(ofVolume.total, N / 1000);
    assert.equal(ofVolume.items[0], `s${N - 1000}`);
    const byKey = await list([{ key: 'n' }], { limit: '5' });
    assert.equal(byKey.total, N);
    assert.equal((await list([{ key: 'nope' }])).total, 0);

    if (kind === 'sqlite') {
      // The plans of filtered pages: a selective key=value drives from the (key, value) index, a
      // key on every row is probed on the primary key in the list's order; no scan of the labels.
      for (const filters of [
        [{ key: 'schedule', value: 'hourly' }],
        [{ key: 'n' }],
        [
          { key: 'schedule', value: 'daily' },
          { key: 'n', value: '4242' },
        ],
      ]) {
        let q = db.selectFrom('snapshots').select('id');
        for (const c of await labelConditions(db, 'snapshot_labels', 'snapshots.id', filters)) q = q.where(c);
        const compiled = q.orderBy('created_at').limit(51).compile();
        const plan = await db.executeQuery<{ detail: string }>({
          ...compiled,
          sql: `explain query plan ${compiled.sql}`,
        });
        const details = plan.rows.map((r) => r.detail).join('\n');
        assert.match(details, /SEARCH snapshot_labels (EXISTS )?USING (COVERING )?INDEX/, details);
        assert.doesNotMatch(details, /SCAN snapshot_labels/, details);
      }
    }
  });
}
