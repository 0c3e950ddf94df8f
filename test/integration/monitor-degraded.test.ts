// A raid1 pool made through the API loses a disk (its loop device detached): the monitor's own
// sampling rounds see the pool degraded and raise the alert within two rounds; the storage area's
// spare watcher replaces the disk and the alerts clear; the file written before is intact.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { startCairn } from '../support/cairn.js';
import { realPartsSkip, sh, waitFor } from '../support/real.js';
import { MiB, makeDisks, makePool, poolGet } from './storage-support.js';
import type { Alert } from '../../src/domain/monitor.js';

// Short rounds; the spare watcher looks less often than the monitor samples, so the monitor's
// round (not only the watcher's event) sees the pool degraded first.
process.env.CAIRN_STATS_INTERVAL_MS = '1000';
process.env.CAIRN_POOL_CHECK_MS = '3000';

interface Page<T> {
  items: T[];
  total: number;
}

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

test(
  'detach a disk of a raid1 pool: degraded alert within two sampling rounds, cleared after the spare replaced it',
  { skip: realPartsSkip() },
  async (t) => {
    const c = await startCairn(t);
    const monitor = c.app.services.monitor;
    assert.equal(monitor.intervalMs(), 1000);
    const [a, b, s] = await makeDisks(c.admin, 3);
    const pool = await makePool(c.admin, {
      name: 'watched',
      disks: [a!.id, b!.id],
      profile: 'raid1',
      spares: [s!.id],
    });
    const data = randomBytes(8 * MiB);
    const file = join(pool.mount_path, 'payload.bin');
    await writeFile(file, data);
    sh(['sync', '-f', pool.mount_path]);

    // The real sources: the pool with its capacity and health, its disks by their loop devices.
    await monitor.sampleNow();
    const live = await c.admin.get<{ metrics: Record<string, number> }>(`stats/pool/${pool.id}`);
    assert.equal(live.metrics.healthy, 1);
    assert.equal(live.metrics.device_errors, 0);
    assert.ok(live.metrics.used_bytes! >= 8 * MiB, `used ${live.metrics.used_bytes}`);
    assert.ok(live.metrics.size_bytes! > live.metrics.used_bytes!);
    for (const d of [a!, b!]) {
      const disk = await c.admin.get<{ metrics: Record<string, number>; labels?: Record<string, string> }>(
        `stats/disk/${d.id}`,
      );
      assert.ok(disk.metrics.written_bytes_total! >= 8 * MiB, `${d.path} wrote the mirror`);
    }
    assert.equal((await c.admin.get<Page<Alert>>('alerts?state=raised')).total, 0);

    // Pull a disk: detach its loop device (this test's own device; busy, so it goes when btrfs lets go).
    sh(['losetup', '-d', b!.path!]);
    const r0 = monitor.rounds();
    await waitFor('two sampling rounds', () => monitor.rounds() >= r0 + 2 || undefined, 60_000, 50);
    // The first round may have started before the detach; the second surely saw it.
    const raised = await c.admin.get<Page<Alert>>(`alerts?rule=pool_health&object_id=${pool.id}`);
    assert.equal(raised.total, 1, JSON.stringify(raised.items));
    const alert = raised.items[0]!;
    assert.equal(alert.pool_id, pool.id);
    assert.equal(alert.severity, 'error');
    assert.match(alert.message, /watched.* degraded/);

    // The spare watcher replaces the missing disk; the pool is online and both alerts clear.
    const replaced = await waitFor(
      'the spare to take over',
      async () => {
        const p = await poolGet(c.admin, pool.id);
        return p.disks.some((x) => x.id === s!.id) && p.health === 'online' ? p : undefined;
      },
      120_000,
      300,
    );
    assert.deepEqual(replaced.disks.map((x) => x.id).sort(), [a!.id, s!.id].sort());
    const cleared = await waitFor(
      'pool alert cleared',
      async () => {
        const x = await c.admin.get<Alert>(`alerts/${alert.id}`);
        return x.state === 'cleared' ? x : undefined;
      },
      60_000,
      200,
    );
    assert.ok(cleared.cleared_at);
    const missing = await c.admin.get<Page<Alert>>(`alerts?rule=disk_missing&object_id=${b!.id}`);
    assert.equal(missing.total, 1);
    await waitFor('disk alert cleared', async () => {
      const x = await c.admin.get<Alert>(`alerts/${missing.items[0]!.id}`);
      return x.state === 'cleared' || undefined;
    });
    // It stays cleared: the next rounds see the pool online (no new alert is raised).
    const r1 = monitor.rounds();
    await waitFor('two more rounds', () => monitor.rounds() >= r1 + 2 || undefined, 60_000, 50);
    assert.equal((await c.admin.get<Page<Alert>>('alerts?state=raised')).total, 0);
    const after = await c.admin.get<{ metrics: Record<string, number> }>(`stats/pool/${pool.id}`);
    assert.equal(after.metrics.healthy, 1);

    assert.equal(sha(await readFile(file)), sha(data));
  },
);
