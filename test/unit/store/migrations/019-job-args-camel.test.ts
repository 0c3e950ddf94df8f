// Migration 019: an unfinished job saved before records were camelCase gets its records' keys
// rewritten; finished jobs, other kinds and the wire documents inside the records stay as they are.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { migratedSqlite } from '../../../support/stores.js';
import { up } from '../../../../src/store/migrations/019-job-args-camel.js';

test('unfinished export and target jobs get camelCase records in their arguments, nothing else changes', async (t) => {
  const store = await migratedSqlite(t, 'cairn-m019-');
  const settings = (ro: boolean) => ({
    read_only: ro,
    hosts: ['h1'],
    allowed: ['127.0.0.1'],
    options: { root_squash: false },
  });
  const lun = { lun: 2, volume_id: 'v1', pool_id: 'p1' };
  const jobs: [string, string, string, Record<string, unknown>][] = [
    ['j1', 'export.update', 'running', { exportId: 'e1', before: settings(false), after: settings(true) }],
    ['j2', 'target.update', 'pending', { targetId: 't1', before: { alias: null, host_ids: ['h1'] } }],
    ['j3', 'target.lun-add', 'running', { targetId: 't1', iqn: 'iqn.x', lun }],
    ['j4', 'target.lun-remove', 'succeeded', { targetId: 't1', iqn: 'iqn.x', lun }],
    ['j5', 'volume.create', 'running', { volumeId: 'v1', pool_like: { snake_key: 1 } }],
  ];
  const now = new Date().toISOString();
  for (const [id, kind, state, args] of jobs)
    await store.db
      .insertInto('jobs')
      .values({
        id,
        kind,
        title: kind,
        state,
        args: JSON.stringify(args),
        data: '{}',
        progress: 0,
        step_index: 0,
        step_count: 1,
        locks: '[]',
        cancel_requested: 0,
        created_by: 'user:admin',
        created_at: now,
        updated_at: now,
      })
      .execute();

  await up(store.db, store.dialect);

  const args = async (id: string) =>
    JSON.parse(
      (await store.db.selectFrom('jobs').select('args').where('id', '=', id).executeTakeFirstOrThrow()).args,
    ) as Record<string, unknown>;
  const camelSettings = (ro: boolean) => ({
    readOnly: ro,
    hosts: ['h1'],
    allowed: ['127.0.0.1'],
    options: { root_squash: false },
  });
  assert.deepEqual(await args('j1'), {
    exportId: 'e1',
    before: camelSettings(false),
    after: camelSettings(true),
  });
  assert.deepEqual(await args('j2'), { targetId: 't1', before: { alias: null, hostIds: ['h1'] } });
  assert.deepEqual(await args('j3'), {
    targetId: 't1',
    iqn: 'iqn.x',
    lun: { lun: 2, volumeId: 'v1', poolId: 'p1' },
  });
  assert.deepEqual(await args('j4'), jobs[3]![3], 'a finished job is history: left as it was');
  assert.deepEqual(await args('j5'), jobs[4]![3], 'other kinds are left as they were');

  // Run again (an already camelCase job): nothing changes.
  await up(store.db, store.dialect);
  assert.deepEqual(await args('j2'), { targetId: 't1', before: { alias: null, hostIds: ['h1'] } });
});
