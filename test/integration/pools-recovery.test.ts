// Pools heal: scrub repairs a corrupted raid1 mirror from the good copy; a detached disk makes the
// pool degraded and a spare takes its place by itself; every profile holds data.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { startCairn } from '../support/cairn.js';
import { Btrfs, totalErrors } from '../../src/system/btrfs/index.js';
import { exec } from '../../src/system/exec.js';
import { realPartsSkip, sh, waitFor } from '../support/real.js';
import {
  MiB,
  checkFiles,
  findInFile,
  makeDisks,
  makePool,
  poolGet,
  writeFiles,
  zeroAt,
  type DiskWire,
} from './storage-support.js';

const skip = realPartsSkip();
// The spare watcher looks every 300 ms in these tests.
process.env.CAIRN_POOL_CHECK_MS = '300';

test(
  'scrub repairs a corrupted raid1 mirror from the good copy and reports what it fixed',
  { skip },
  async (t) => {
    const c = await startCairn(t);
    const disks = await makeDisks(c.admin, 2);
    const pool = await makePool(c.admin, {
      name: 'mirror',
      disks: disks.map((d) => d.id),
      profile: 'raid1',
      compression: 'none',
    });
    const sums = await writeFiles(pool.mount_path, 3, 4 * MiB);
    sh(['sync', '-f', pool.mount_path]);
    // Zero 1 MiB of f0.bin on the second disk only, below btrfs (in the loop device's file).
    const head = (await readFile(join(pool.mount_path, 'f0.bin'))).subarray(0, 4096);
    const img = join(c.dataDir, 'disks', `${disks[1]!.id}.img`);
    const at = await findInFile(img, head);
    assert.ok(at >= 0, 'the data is on the second mirror');
    await zeroAt(img, at, MiB);
    assert.equal(await findInFile(img, head), -1);

    const r = await c.admin.request<{
      state: string;
      result: { corrected_errors: number; uncorrectable_errors: number; csum_errors: number };
    }>('POST', `pools/${pool.id}/scrub?wait=120`);
    assert.equal(r.body.state, 'succeeded');
    assert.ok(r.body.result.csum_errors > 0, JSON.stringify(r.body.result));
    assert.equal(r.body.result.corrected_errors, r.body.result.csum_errors);
    assert.equal(r.body.result.uncorrectable_errors, 0);
    // Repaired on disk: the good bytes are back in the second mirror's file.
    assert.equal(await findInFile(img, head), at);
    assert.equal(await checkFiles(pool.mount_path, sums), 4);
    const again = await c.admin.request<{ result: { csum_errors: number } }>(
      'POST',
      `pools/${pool.id}/scrub?wait=120`,
    );
    assert.equal(again.body.result.csum_errors, 0);
    const p = await poolGet(c.admin, pool.id);
    assert.equal(p.health, 'degraded', 'the error counters stay visible');
    assert.match(p.health_reason ?? '', /device errors/);
    // The counters the pool shows (read from sysfs) are the ones `btrfs device stats` prints.
    const raw = await new Btrfs(exec).deviceStats(pool.mount_path);
    assert.deepEqual(
      (p.health_detail?.devices ?? []).map((x) => [x.devid, x.error_total]),
      raw.map((x) => [x.devid, totalErrors(x)]),
    );
    assert.ok(raw.some((x) => totalErrors(x) > 0));
    const ev = await c.app.store.db
      .selectFrom('events')
      .selectAll()
      .where('type', '=', 'scrub.errors')
      .execute();
    assert.equal(ev.length, 1);
  },
);

test('a detached disk makes the pool degraded and a spare replaces it; data intact', { skip }, async (t) => {
  const c = await startCairn(t);
  const [a, b, s] = await makeDisks(c.admin, 3);
  const pool = await makePool(c.admin, {
    name: 'spared',
    disks: [a!.id, b!.id],
    profile: 'raid1',
    spares: [s!.id],
  });
  assert.deepEqual(
    pool.spares.map((x) => x.id),
    [s!.id],
  );
  const sums = await writeFiles(pool.mount_path, 4, 4 * MiB);
  sh(['sync', '-f', pool.mount_path]);
  // Pull the disk: detach its loop device (busy, so the kernel drops it when btrfs lets go).
  sh(['losetup', '-d', b!.path!]);
  const replaced = await waitFor(
    'the spare to take over',
    async () => {
      const p = await poolGet(c.admin, pool.id);
      return p.disks.some((x) => x.id === s!.id) && p.health === 'online' ? p : undefined;
    },
    120_000,
    300,
  );
  assert.deepEqual(replaced.spares, []);
  assert.deepEqual(replaced.disks.map((x) => x.id).sort(), [a!.id, s!.id].sort());
  const old = await c.admin.get<DiskWire>(`disks/${b!.id}`);
  assert.equal(old.state, 'missing');
  assert.equal(old.pool_id, null);
  assert.equal(await checkFiles(pool.mount_path, sums), 5);
  const types = (await c.app.store.db.selectFrom('events').select('type').orderBy('seq').execute()).map(
    (e) => e.type,
  );
  for (const ty of ['disk.missing', 'pool.degraded', 'spare.replaced', 'pool.online'])
    assert.ok(types.includes(ty), `${ty} in ${types.join(',')}`);
  // Scrub after the takeover is clean and restart brings the pool back online.
  const sc = await c.admin.request<{ result: { csum_errors: number; uncorrectable_errors: number } }>(
    'POST',
    `pools/${pool.id}/scrub?wait=120`,
  );
  assert.equal(sc.body.result.uncorrectable_errors, 0);
  const c2 = await c.restart();
  const back = await poolGet(c2.admin, pool.id);
  assert.equal(back.health, 'online');
  assert.equal(await checkFiles(back.mount_path, sums), 5);
});

const PROFILES: { profile: string; disks: number; meta: string; ack?: boolean }[] = [
  { profile: 'single', disks: 1, meta: 'dup' },
  { profile: 'dup', disks: 1, meta: 'dup' },
  { profile: 'raid0', disks: 2, meta: 'raid1' },
  { profile: 'raid1', disks: 2, meta: 'raid1' },
  { profile: 'raid1c3', disks: 3, meta: 'raid1c3' },
  { profile: 'raid1c4', disks: 4, meta: 'raid1c4' },
  { profile: 'raid10', disks: 4, meta: 'raid1' },
  { profile: 'raid5', disks: 3, meta: 'raid1', ack: true },
  { profile: 'raid6', disks: 4, meta: 'raid1c3', ack: true },
];

test('every profile creates, mounts and holds data', { skip }, async (t) => {
  const c = await startCairn(t);
  const disks = await makeDisks(c.admin, 4, 384 * MiB);
  for (const pr of PROFILES) {
    const ids = disks.slice(0, pr.disks).map((d) => d.id);
    const pool = await makePool(c.admin, {
      name: `p-${pr.profile}`,
      disks: ids,
      profile: pr.profile,
      compression: 'zstd',
      compression_level: 5,
      ...(pr.ack ? { acknowledge_raid56_write_hole: true } : {}),
    });
    assert.equal(pool.metadata_profile, pr.meta, pr.profile);
    const sums = await writeFiles(pool.mount_path, 2, 4 * MiB);
    sh(['sync', '-f', pool.mount_path]);
    const p = await poolGet(c.admin, pool.id);
    assert.equal(p.health, 'online', pr.profile);
    assert.equal(p.capacity!.data.profile, pr.profile, `btrfs says the data is ${p.capacity!.data.profile}`);
    assert.equal(await checkFiles(pool.mount_path, sums), 3);
    assert.equal((await c.admin.request('DELETE', `pools/${pool.id}?wait=120`)).status, 204);
  }
});
