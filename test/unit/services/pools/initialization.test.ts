// Initializing the system: its status from what is recorded, and the first pool it makes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  SystemInitialization,
  firstPoolProfile,
  initStatus,
} from '../../../../src/services/pools/initialization.js';
import { systemPrincipal } from '../../../../src/domain/permissions.js';
import type { Initialization } from '../../../../src/services/system.js';

const init = (pool_job_id: string | null): Initialization => ({ at: 'now', multipool: false, pool_job_id });

test('status: initializing while the first pool job runs, ready with a pool or a skipped pool', () => {
  assert.equal(initStatus({ init: null, poolJobRunning: false, pools: 0 }), 'not_initialized');
  assert.equal(initStatus({ init: init('j'), poolJobRunning: true, pools: 0 }), 'initializing');
  assert.equal(initStatus({ init: init('j'), poolJobRunning: false, pools: 1 }), 'ready');
  assert.equal(initStatus({ init: init(null), poolJobRunning: false, pools: 0 }), 'ready', 'skip_pool');
  assert.equal(initStatus({ init: null, poolJobRunning: false, pools: 2 }), 'ready', 'a pool made otherwise');
  assert.equal(
    initStatus({ init: init('j'), poolJobRunning: false, pools: 0 }),
    'not_initialized',
    'the first pool job failed',
  );
});

test('the first pool: one disk as it is, more mirrored', () => {
  assert.equal(firstPoolProfile(1), 'single');
  assert.equal(firstPoolProfile(2), 'raid1');
  assert.equal(firstPoolProfile(5), 'raid1');
});

/** The services initialization calls, recording what they were asked. */
function rig(candidates: string[]) {
  const calls: unknown[] = [];
  const job = { id: 'job-1', state: 'running' };
  const s = new SystemInitialization({
    system: {
      initialization: async () => null,
      recordInitialization: async (i) => {
        calls.push(['record', i]);
        return { ...i, at: 'now' };
      },
    },
    pools: {
      create: async (_p, input) => {
        calls.push(['create', input]);
        return { job, id: 'pool-1' } as never;
      },
      list: async () => ({ items: [], total: 0 }) as never,
    },
    disks: { candidates: async () => candidates },
    engine: { get: async () => job as never },
  });
  return { s, calls };
}

test('initialize makes the first pool of every candidate disk and records its job', async () => {
  const { s, calls } = rig(['d1', 'd2']);
  const job = await s.initialize(systemPrincipal(), { multipool: true, skipPool: false });
  assert.equal(job?.id, 'job-1');
  assert.deepEqual(calls, [
    ['create', { name: 'primary', disks: ['d1', 'd2'], profile: 'raid1' }],
    ['record', { multipool: true, pool_job_id: 'job-1' }],
  ]);
});

test('initialize without a candidate disk refuses and records nothing; skip_pool makes no pool', async () => {
  const none = rig([]);
  await assert.rejects(none.s.initialize(systemPrincipal(), { multipool: false, skipPool: false }), {
    code: 'VALIDATION_FAILED',
  });
  assert.deepEqual(none.calls, []);
  const skip = rig(['d1']);
  assert.equal(await skip.s.initialize(systemPrincipal(), { multipool: false, skipPool: true }), null);
  assert.deepEqual(skip.calls, [['record', { multipool: false, pool_job_id: null }]]);
});
