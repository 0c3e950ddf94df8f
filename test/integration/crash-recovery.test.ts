// Foundation test owned by storage: SIGKILL cairnd in the middle of multi-step jobs that change
// real disks; after restart each job is finished (rolled back), nothing is left half made (no
// orphan sparse file, loop device, mount or btrfs signature), and new jobs on the same objects run.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { startCairnProcess } from '../support/cairn.js';
import { loopsBackedUnder, mountsUnder, realPartsSkip, sh, waitFor } from '../support/real.js';
import { ApiError, type Client } from '../../src/cli/client.js';
import { MiB, type DiskWire, type PoolWire } from './storage-support.js';

const skip = realPartsSkip();

interface JobWire {
  id: string;
  state: string;
  step_index: number;
  error: { code: string } | null;
}

const jobAt = (c: Client, id: string, step: number) =>
  waitFor(
    `job ${id} at step ${step}`,
    async () => {
      const j = await c.get<JobWire>(`jobs/${id}`);
      return j.state === 'running' && j.step_index >= step ? j : undefined;
    },
    60_000,
    50,
  );

const hasSignature = (dev: string) =>
  sh(['blkid', '-p', '-o', 'value', '-s', 'TYPE', dev], { allowFail: true }).trim();

test(
  'kill -9 during pool create and disk create: rolled back, consistent, no lock held',
  { skip },
  async (t) => {
    const env = { CAIRN_TEST_STEP_DELAY_MS: '1500' };
    const c1 = await startCairnProcess(t, { env });
    const disks: DiskWire[] = [];
    for (let i = 0; i < 2; i++)
      disks.push((await c1.admin.request<DiskWire>('POST', 'disks?wait=60', { size: 256 * MiB })).body);
    assert.ok(disks.every((d) => d.state === 'unused'));

    // 1. A pool create killed after mkfs and mount, before it finished.
    const accepted = await c1.admin.request<JobWire>('POST', 'pools', {
      name: 'crashy',
      disks: disks.map((d) => d.id),
      profile: 'raid1',
    });
    assert.equal(accepted.status, 202);
    const poolJob = accepted.body.id;
    await jobAt(c1.admin, poolJob, 2);
    const poolId = (await c1.admin.get<{ object_id: string }>(`jobs/${poolJob}`)).object_id;
    const mnt = join(c1.dataDir, 'pools', poolId);
    assert.deepEqual(mountsUnder(mnt), [mnt], 'it was mounted when killed');
    // 2. A disk create in flight at the same time, killed after its file exists.
    const dAccepted = await c1.admin.request<JobWire>('POST', 'disks', { size: 256 * MiB });
    const diskJob = dAccepted.body.id;
    const diskId = (await c1.admin.get<{ object_id: string }>(`jobs/${diskJob}`)).object_id;
    await jobAt(c1.admin, diskJob, 1);
    await c1.kill9();

    const c2 = await c1.start();
    const pj = await waitFor('pool job finished', async () => {
      const j = await c2.admin.get<JobWire>(`jobs/${poolJob}`);
      return j.state === 'running' || j.state === 'pending' ? undefined : j;
    });
    assert.equal(pj.state, 'failed');
    assert.equal(pj.error?.code, 'JOB_INTERRUPTED');
    const dj = await waitFor('disk job finished', async () => {
      const j = await c2.admin.get<JobWire>(`jobs/${diskJob}`);
      return j.state === 'running' || j.state === 'pending' ? undefined : j;
    });
    assert.equal(dj.state, 'failed');

    // Nothing half made: no pool, no mount, no signature, disks free; no orphan disk file or loop.
    await assert.rejects(
      c2.admin.get(`pools/${poolId}`),
      (e: unknown) => e instanceof ApiError && e.status === 404,
    );
    assert.deepEqual(mountsUnder(mnt), []);
    for (const d of disks) {
      const x = await c2.admin.get<DiskWire>(`disks/${d.id}`);
      assert.equal(x.state, 'unused');
      assert.equal(x.pool_id, null);
      assert.equal(hasSignature(x.path!), '', `${x.path} carries no filesystem signature`);
    }
    await assert.rejects(
      c2.admin.get(`disks/${diskId}`),
      (e: unknown) => e instanceof ApiError && e.status === 404,
    );
    assert.equal(existsSync(join(c2.dataDir, 'disks', `${diskId}.img`)), false, 'no orphan sparse file');
    const loops = loopsBackedUnder(c2.dataDir);
    assert.equal(loops.length, 2, `only the two disks' loop devices: ${loops.join(' ')}`);

    // No lock held: a new job on the same disks runs to the end.
    const again = await c2.admin.request<PoolWire>('POST', 'pools?wait=120', {
      name: 'crashy',
      disks: disks.map((d) => d.id),
      profile: 'raid1',
    });
    assert.equal(again.status, 201);
    assert.equal(again.body.health, 'online');
  },
);
