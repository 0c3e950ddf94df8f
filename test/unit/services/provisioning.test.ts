// All or none: which native calls Provisioning makes, in which order, and what it undoes when a
// step fails, over in-memory stand-ins (the real services are exercised by the NGX and Docker
// dialect tests).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Provisioning } from '../../../src/services/provisioning.js';
import { CairnError } from '../../../src/domain/errors.js';
import { systemPrincipal } from '../../../src/domain/permissions.js';

const P = systemPrincipal();

/** Every call recorded as a line; `failOn` names the call that throws (or whose job fails). */
function rig(failOn: string | null, failedJob: string | null = null) {
  const calls: string[] = [];
  let n = 0;
  const job = (id: string) => ({ id }) as never;
  const call = (line: string) => {
    calls.push(line);
    if (line === failOn) throw new CairnError('VOLUME_NOT_FOUND', { id: line });
  };
  const provisioning = new Provisioning({
    volumes: {
      create: async (_p, input) => {
        call(`volume.create ${input.name}`);
        const id = `v${++n}`;
        return { id, job: job(`create-${id}`) };
      },
      delete: async (_p, id, cascade) => {
        call(`volume.delete ${id} cascade=${cascade}`);
        return job(`delete-${id}`);
      },
    },
    schedules: {
      create: async (_p, input) => {
        call(`schedule.create ${input.name} ${input.target}`);
        return {} as never;
      },
    },
    shares: {
      apply: async (_p, id, c) => {
        call(`shares.apply ${id} nfs=${c.nfs}`);
      },
    },
    targets: {
      create: async (_p, input) => {
        call(`target.create ${input.alias}`);
        return { id: 't1', job: job('create-t1') };
      },
      delete: async (_p, id, force) => {
        call(`target.delete ${id} force=${force}`);
        return job(`delete-${id}`);
      },
      addLun: async (_p, id, input) => {
        call(`target.addLun ${id} ${input.volume_id}`);
        return {
          lun: calls.filter((c) => c.startsWith('target.addLun')).length,
          job: job(`add-${input.volume_id}`),
        };
      },
      removeLun: async (_p, id, lun) => {
        call(`target.removeLun ${id} ${lun}`);
        return job(`remove-${lun}`);
      },
    },
    engine: {
      wait: async (id) => {
        calls.push(`wait ${id}`);
        return (
          id === failedJob
            ? { id, state: 'failed', error: { code: 'JOB_FAILED', message: 'no room', details: {} } }
            : { id, state: 'succeeded' }
        ) as never;
      },
    },
  });
  return { provisioning, calls };
}

const volume = (name: string) => ({ pool: 'p1', name, type: 'lun' as const, size: 1 << 20 });

test('volumes with their schedules and shares are made in order, each job waited for', async () => {
  const { provisioning, calls } = rig(null);
  const ids = await provisioning.volumes(P, [
    {
      volume: volume('a'),
      schedules: [{ namePrefix: 'docker-hourly', cron: '0 * * * *', retention: { keep_last: 3 } }],
      shares: { nfs: true },
    },
    { volume: volume('b') },
  ]);
  assert.deepEqual(ids, ['v1', 'v2']);
  assert.deepEqual(calls, [
    'volume.create a',
    'wait create-v1',
    'schedule.create docker-hourly-v1 v1',
    'shares.apply v1 nfs=true',
    'volume.create b',
    'wait create-v2',
  ]);
});

test('a failed step deletes every volume this call made, newest first, and throws its error', async () => {
  const { provisioning, calls } = rig('shares.apply v2 nfs=true');
  await assert.rejects(
    provisioning.volumes(P, [
      { volume: volume('a'), shares: { nfs: true } },
      { volume: volume('b'), shares: { nfs: true } },
      { volume: volume('c') },
    ]),
    (e: CairnError) => e.code === 'VOLUME_NOT_FOUND',
  );
  assert.deepEqual(calls.slice(-4), [
    'volume.delete v2 cascade=true',
    'wait delete-v2',
    'volume.delete v1 cascade=true',
    'wait delete-v1',
  ]);
  assert.ok(!calls.includes('volume.create c'));
});

test("a volume whose create job fails is deleted too (its row is there), and the job's error thrown", async () => {
  const { provisioning, calls } = rig(null, 'create-v2');
  await assert.rejects(
    provisioning.volumes(P, [{ volume: volume('a') }, { volume: volume('b') }]),
    (e: CairnError) => e.code === 'JOB_FAILED',
  );
  assert.deepEqual(calls.slice(-4), [
    'volume.delete v2 cascade=true',
    'wait delete-v2',
    'volume.delete v1 cascade=true',
    'wait delete-v1',
  ]);
});

test('a target with its LUNs: a LUN that fails takes out those added, then the target', async () => {
  const { provisioning, calls } = rig('target.addLun t1 v3');
  await assert.rejects(
    provisioning.target(P, { alias: 'app', host_ids: [] }, ['v1', 'v2', 'v3']),
    (e: CairnError) => e.code === 'VOLUME_NOT_FOUND',
  );
  assert.deepEqual(calls, [
    'target.create app',
    'wait create-t1',
    'target.addLun t1 v1',
    'wait add-v1',
    'target.addLun t1 v2',
    'wait add-v2',
    'target.addLun t1 v3',
    'target.removeLun t1 2',
    'wait remove-2',
    'target.removeLun t1 1',
    'wait remove-1',
    'target.delete t1 force=true',
    'wait delete-t1',
  ]);
});

test('an undo that fails does not hide the error that caused it', async () => {
  const { provisioning } = rig('volume.delete v1 cascade=true', 'create-v2');
  await assert.rejects(
    provisioning.volumes(P, [{ volume: volume('a') }, { volume: volume('b') }]),
    (e: CairnError) => e.code === 'JOB_FAILED',
  );
});
