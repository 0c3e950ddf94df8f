// Deduplication as a pool setting: a pool with a dedup schedule gets scheduled duperemove runs
// (real jobs on a real pool), reports the schedule in plain words and what dedup saved; a bad cron
// is refused; vSnap's `deduplication: true` is this setting and reads back true.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startCairn, ADMIN_PASSWORD } from '../support/cairn.js';
import { realPartsSkip, waitFor } from '../support/real.js';
import type { Page } from '../../src/domain/list.js';

const MiB = 1024 ** 2;
interface Dedup {
  schedule: string | null;
  schedule_description: string | null;
  last_run_at: string | null;
  saved_bytes: number;
  ratio: number;
}

test('a pool with a dedup schedule is deduplicated on schedule', { skip: realPartsSkip() }, async (t) => {
  process.env.CAIRN_DEDUP_CHECK_MS = '500';
  const c = await startCairn(t);
  const disk = (await c.admin.request<{ id: string }>('POST', 'disks?wait=60', { size: 512 * MiB })).body;
  const bad = await c.admin
    .request('POST', 'pools', {
      name: 'bad',
      disks: [disk.id],
      profile: 'single',
      dedup_schedule: 'not cron',
    })
    .catch(
      (e: {
        status: number;
        body: { error: { code: string; details: { problems: { field: string }[] } } };
      }) => e,
    );
  assert.equal((bad as { status: number }).status, 400);
  const pool = (
    await c.admin.request<{ id: string; dedup: Dedup }>('POST', 'pools?wait=120', {
      name: 'deduped',
      disks: [disk.id],
      profile: 'single',
      dedup_schedule: '* * * * * *',
    })
  ).body;
  assert.equal(pool.dedup.schedule, '* * * * * *');
  assert.match(pool.dedup.schedule_description ?? '', /second/i);
  const job = await waitFor('a scheduled dedup job to succeed', async () => {
    const jobs = await c.admin.get<Page<{ id: string; state: string; object_id: string }>>(
      `jobs?kind=pool.dedup&object_id=${pool.id}`,
    );
    return jobs.items.find((j) => j.state === 'succeeded');
  });
  assert.ok(job);
  const after = await c.admin.get<{ dedup: Dedup }>(`pools/${pool.id}`);
  assert.ok(after.dedup.last_run_at, 'the run is recorded');
  assert.ok(after.dedup.ratio >= 1);
  // Off again: the setting reads back null.
  await c.admin.request('PATCH', `pools/${pool.id}?wait=60`, { dedup_schedule: null });
  assert.equal((await c.admin.get<{ dedup: Dedup }>(`pools/${pool.id}`)).dedup.schedule, null);
});

test(
  'vSnap: deduplication true at pool creation is kept and reported',
  { skip: realPartsSkip() },
  async (t) => {
    const c = await startCairn(t);
    const disk = (await c.admin.request<{ id: string }>('POST', 'disks?wait=60', { size: 512 * MiB })).body;
    const res = await fetch(`${c.url}/api/pool`, {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from(`admin:${ADMIN_PASSWORD}`).toString('base64')}`,
        'content-type': 'application/json',
      },
      body: JSON.stringify({ name: 'dd', pool_type: 'raid0', disk_list: [disk.id], deduplication: true }),
    });
    const body = (await res.json()) as { deduplication: boolean; id: string };
    assert.equal(res.status, 200, JSON.stringify(body));
    assert.equal(body.deduplication, true);
    const native = await c.admin.get<Page<{ dedup: Dedup }>>('pools?name=dd');
    assert.equal(native.items[0]!.dedup.schedule, '0 3 * * *');
  },
);
