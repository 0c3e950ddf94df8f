// The monitor's pool source runs `btrfs filesystem usage` (PoolService.capacity) at most once per
// pool per capacity interval on timed rounds: once per round cost replication transfers a large
// share of their speed. A round asked for (sampleNow) measures again; pools gone are forgotten.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { poolSource, CAPACITY_EVERY_MS } from '../../../../src/services/monitor/sources.js';
import type { PoolService } from '../../../../src/services/pools/service.js';

function fakePools(ids: string[]) {
  const calls: string[] = [];
  const pools = {
    list: async () => ({
      items: ids.map((id) => ({
        id,
        name: id,
        state: 'ready',
        size: 100,
        used: 10,
        free: 90,
        health: 'online',
      })),
      next_cursor: null,
      total: ids.length,
    }),
    health: async () => ({ health: 'online', reasons: [], mounted: true, mount_options: [], devices: [] }),
    capacity: async (id: string) => {
      calls.push(id);
      return { usable_size: 100, used: calls.length, free: 100 - calls.length };
    },
  };
  return { pools: pools as unknown as PoolService, calls };
}

test('timed rounds measure a pool capacity once per interval; a round asked for measures again', async () => {
  const ids = ['p1', 'p2'];
  const { pools, calls } = fakePools(ids);
  let now = 1_000_000;
  const src = poolSource(pools, { now: () => now });
  for (let i = 0; i < 6; i++) {
    await src.pools({ fresh: false });
    now += 10_000;
  }
  // 6 rounds 10 s apart = 50 s: within one 60 s interval.
  assert.deepEqual(calls, ['p1', 'p2']);
  now += CAPACITY_EVERY_MS;
  const rows = await src.pools({ fresh: false });
  assert.deepEqual(calls, ['p1', 'p2', 'p1', 'p2'], 'measured again after the interval');
  assert.equal(rows[0]!.usedBytes, 3, 'with the new figures');
  await src.pools();
  assert.equal(calls.length, 6, 'a round asked for (sampleNow) is always fresh');
  const reused = await src.pools({ fresh: false });
  assert.equal(calls.length, 6);
  assert.deepEqual(
    reused.map((r) => r.usedBytes),
    [5, 6],
    'timed rounds reuse the last figures',
  );
  // A deleted pool is forgotten: its row is gone, and a pool of that id later is measured afresh.
  ids.splice(1, 1);
  assert.deepEqual(
    (await src.pools({ fresh: false })).map((r) => r.id),
    ['p1'],
  );
  ids.push('p2');
  await src.pools({ fresh: false });
  assert.deepEqual(calls.slice(6), ['p2']);
});
