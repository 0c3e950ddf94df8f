// 1,000 real snapshots of one volume: the list pages, sorts and filters correctly in SQL, and a
// page costs no more at the end than at the start.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startCairn } from '../support/cairn.js';
import { testStores } from '../support/stores.js';
import { realPartsSkip, sh } from '../support/real.js';
import type { Client } from '../../src/cli/client.js';
import type { Snapshot, Volume } from '../../src/domain/volumes.js';
import { MiB, attach, testPool } from './volumes-pool.js';

const skip = realPartsSkip();
const N = 1000;
const call = async <T = unknown>(cl: Client, method: string, path: string, body?: unknown): Promise<T> =>
  (await cl.request<T>(method, path, body)).body;
interface PageOf<T> {
  items: T[];
  total: number;
  next_cursor: string | null;
}

for (const store of testStores()) {
  test(
    `${store}: ${N} snapshots of one volume list with paging, sorting and filtering`,
    { skip },
    async (t) => {
      const c = await startCairn(t, { store });
      const pool = await testPool(t, c);
      attach(c, pool);
      const v = await call<Volume>(c.admin, 'POST', 'volumes?wait=60', {
        pool: pool.id,
        name: 'many',
        type: 'filesystem',
        size: 64 * MiB,
        snapshot_limit: N,
      });
      const other = await call<Volume>(c.admin, 'POST', 'volumes?wait=60', {
        pool: pool.id,
        name: 'other',
        type: 'filesystem',
        size: 64 * MiB,
      });
      await call(c.admin, 'POST', `volumes/${other.id}/snapshots?wait=60`, { name: 'n-0001' });
      // Through the API, a few at a time (jobs on one volume run side by side under a shared lock).
      const names = Array.from({ length: N }, (_, i) => `n-${String(i + 1).padStart(4, '0')}`);
      for (let i = 0; i < N; i += 8)
        await Promise.all(
          names
            .slice(i, i + 8)
            .map((name) => call(c.admin, 'POST', `volumes/${v.id}/snapshots?wait=120`, { name })),
        );
      assert.equal(sh(['btrfs', 'subvolume', 'list', '-s', pool.mountPath]).trim().split('\n').length, N + 1);

      // the limit holds
      const e = await c.admin
        .request('POST', `volumes/${v.id}/snapshots`, {})
        .catch((x: { code: string }) => x);
      assert.equal((e as { code: string }).code, 'SNAPSHOT_LIMIT_REACHED');

      // page through all of them by cursor, sorted by name descending
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const q: string = `volumes/${v.id}/snapshots?limit=150&sort=-name${cursor ? `&cursor=${cursor}` : ''}`;
        const page: PageOf<Snapshot> = await c.admin.get<PageOf<Snapshot>>(q);
        assert.equal(page.total, N);
        seen.push(...page.items.map((s) => s.name));
        cursor = page.next_cursor;
      } while (cursor);
      assert.deepEqual(seen, [...names].reverse());

      // offset paging, system-wide list filtered by volume, by name, by time; sorting by created_at
      const p3 = await c.admin.get<PageOf<Snapshot>>(
        `snapshots?volume=${v.id}&sort=name&limit=10&offset=500`,
      );
      assert.deepEqual(
        p3.items.map((s) => s.name),
        names.slice(500, 510),
      );
      const byName = await c.admin.get<PageOf<Snapshot>>(`snapshots?name=n-0001`);
      assert.equal(byName.total, 2);
      const contains = await c.admin.get<PageOf<Snapshot>>(`snapshots?volume=${v.id}&name__contains=n-09`);
      assert.equal(contains.total, 100);
      const inList = await c.admin.get<PageOf<Snapshot>>(
        `snapshots?volume=${v.id}&name__in=n-0002,n-0999,zz`,
      );
      assert.deepEqual(inList.items.map((s) => s.name).sort(), ['n-0002', 'n-0999']);
      const byTime = await c.admin.get<PageOf<Snapshot>>(
        `volumes/${v.id}/snapshots?sort=-created_at&limit=1000`,
      );
      const times = byTime.items.map((s) => s.created_at);
      assert.deepEqual(times, [...times].sort().reverse());
      const mid = times[500]!;
      const newer = await c.admin.get<PageOf<Snapshot>>(
        `volumes/${v.id}/snapshots?created_at__gt=${mid}&limit=1`,
      );
      assert.equal(newer.total, times.filter((x) => x > mid).length);
      assert.equal((await c.admin.get<Volume>(`volumes/${v.id}`)).snapshot_count, N);

      // sizes of all of them come from one pass per pool
      await c.app.services.volumes.maintain(pool.id);
      const sizedAll = await c.admin.get<PageOf<Snapshot>>(
        `volumes/${v.id}/snapshots?limit=1&referenced__gt=0`,
      );
      assert.equal(sizedAll.total, N);
      const sized = await c.admin.get<PageOf<Snapshot>>(`volumes/${v.id}/snapshots?sort=-referenced&limit=5`);
      assert.ok(sized.items.every((s) => s.referenced > 0 && s.sizes_at !== null));

      // and delete-all removes them in batches
      const del = await call<{ deleted: number }>(c.admin, 'DELETE', `volumes/${v.id}/snapshots?wait=600`);
      assert.equal(del.deleted, N);
      assert.equal((await c.admin.get<PageOf<Snapshot>>(`snapshots`)).total, 1);
    },
  );
}
