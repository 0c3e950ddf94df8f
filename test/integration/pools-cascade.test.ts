// Deleting a pool takes what lives in it along: a forced delete of a pool with volumes, a snapshot,
// a clone, a running NBD export and schedules leaves no volume, snapshot, export, nbdkit process or
// schedule behind; an unforced delete of an empty pool removes its scrub schedule.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startCairn } from '../support/cairn.js';
import { realPartsSkip } from '../support/real.js';
import type { Client } from '../../src/cli/client.js';
import { makeDisks, makePool, MiB } from './storage-support.js';
import { service } from './exports-support.js';

const skip = realPartsSkip();
const call = async <T = unknown>(cl: Client, method: string, path: string, body?: unknown): Promise<T> =>
  (await cl.request<T>(method, path, body)).body;
const total = async (cl: Client, path: string) => (await call<{ total: number }>(cl, 'GET', path)).total;

test(
  'a forced pool delete removes its volumes, snapshots, clones, exports and schedules',
  { skip },
  async (t) => {
    const c = await startCairn(t);
    const disks = await makeDisks(c.admin, 2, 1024 * MiB);
    const doomed = await makePool(c.admin, { name: 'doomed', disks: [disks[0]!.id], profile: 'single' });
    const kept = await makePool(c.admin, { name: 'kept', disks: [disks[1]!.id], profile: 'single' });
    const vol = (pool: string, name: string, type = 'filesystem') =>
      call<{ id: string }>(c.admin, 'POST', 'volumes?wait=60', { pool, name, type, size: 64 * MiB });
    const fs = await vol(doomed.id, 'files');
    const lun = await vol(doomed.id, 'disk', 'lun');
    const other = await vol(kept.id, 'stays');
    const snap = await call<{ id: string }>(c.admin, 'POST', `volumes/${fs.id}/snapshots?wait=60`, {
      name: 's1',
    });
    await call(c.admin, 'POST', `snapshots/${snap.id}/clone?wait=60`, { name: 'files-clone' });
    await call(c.admin, 'POST', `volumes/${other.id}/snapshots?wait=60`, { name: 'keep-me' });
    const nbd = await call<{ id: string; state: string }>(
      c.admin,
      'POST',
      `volumes/${lun.id}/exports?wait=60`,
      {
        protocol: 'nbd',
        name: 'disk',
      },
    );
    assert.equal(nbd.state, 'active');
    const nbdkit = await service(c, `nbdkit-${nbd.id}`);
    assert.equal(nbdkit?.state, 'running');
    const pid = nbdkit!.pid!;
    for (const [name, kind, target] of [
      ['hourly', 'snapshot', fs.id],
      ['weekly-scrub', 'scrub', doomed.id],
      ['other-hourly', 'snapshot', other.id],
    ] as const)
      await call(c.admin, 'POST', 'schedules', { name, kind, target, cron: '0 * * * *' });

    assert.equal(await total(c.admin, `volumes?pool=${doomed.id}`), 3);
    const del = await c.admin.request('DELETE', `pools/${doomed.id}?force=true&wait=120`);
    assert.equal(del.status, 204, JSON.stringify(del.body));

    assert.equal(await total(c.admin, `volumes?pool=${doomed.id}`), 0);
    assert.equal(await total(c.admin, `snapshots?pool=${doomed.id}`), 0);
    assert.equal(await total(c.admin, 'exports'), 0);
    assert.ok((await service(c, `nbdkit-${nbd.id}`))?.state !== 'running', 'the export’s nbdkit is stopped');
    assert.throws(() => process.kill(pid, 0), { code: 'ESRCH' }, 'the nbdkit process is gone');
    const left = await call<{ items: { name: string }[] }>(c.admin, 'GET', 'schedules');
    assert.deepEqual(
      left.items.map((s) => s.name),
      ['other-hourly'],
    );
    // The other pool is untouched.
    assert.equal(await total(c.admin, `volumes?pool=${kept.id}`), 1);
    assert.equal(await total(c.admin, `volumes/${other.id}/snapshots`), 1);

    // An unforced delete of an empty pool takes its scrub schedule along.
    await call(c.admin, 'DELETE', `volumes/${other.id}?cascade=true&wait=60`);
    await call(c.admin, 'POST', 'schedules', {
      name: 'scrub-kept',
      kind: 'scrub',
      target: kept.id,
      cron: '0 3 * * 0',
    });
    const del2 = await c.admin.request('DELETE', `pools/${kept.id}?wait=120`);
    assert.equal(del2.status, 204, JSON.stringify(del2.body));
    assert.equal(await total(c.admin, 'schedules'), 0);
  },
);
