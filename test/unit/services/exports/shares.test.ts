// A volume's one share and its lun mappings: which export calls each rule makes, in which order,
// over an in-memory stand-in for the export service (the real one is exercised by the vSnap tests).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { VolumeShares } from '../../../../src/services/exports/shares.js';
import { systemPrincipal } from '../../../../src/domain/permissions.js';
import { EVERY_ADDRESS, type ExportRecord, type Protocol } from '../../../../src/domain/exports.js';

const P = systemPrincipal();

/** Exports of volume v1 in memory; every call is recorded; jobs succeed at once. */
function rig(
  initial: Partial<ExportRecord>[],
  wait = async (id: string, _ms?: number) => ({ id, state: 'succeeded' }) as never,
) {
  const rows: ExportRecord[] = initial.map(
    (e, i) =>
      ({
        id: `e${i}`,
        volumeId: 'v1',
        hosts: [],
        allowed: [],
        readOnly: false,
        options: {},
        ...e,
      }) as ExportRecord,
  );
  const calls: string[] = [];
  let n = rows.length;
  const job = (id: string) => ({ id, state: 'succeeded' }) as never;
  const shares = new VolumeShares({
    exports: {
      forVolume: async () => ({
        items: [...rows],
        total: rows.length,
        limit: 1000,
        offset: 0,
        next_cursor: null,
      }),
      get: async (_p, id) => rows.find((r) => r.id === id)!,
      mappedBy: async (host) => rows.filter((r) => r.hosts.includes(host)).map((r) => r.id),
      create: async (_p, _v, input) => {
        const id = `e${n++}`;
        calls.push(`create ${id} ${input.protocol}`);
        rows.push({
          id,
          volumeId: 'v1',
          protocol: input.protocol as Protocol,
          hosts: input.hosts ?? [],
          allowed: input.allowed ?? [],
          readOnly: input.read_only ?? false,
          options: {},
        } as unknown as ExportRecord);
        return { id, job: job(`create-${id}`) };
      },
      update: async (_p, id, input) => {
        calls.push(`update ${id} ro=${String(input.read_only)}`);
        const row = rows.find((r) => r.id === id)!;
        if (input.allowed !== undefined) row.allowed = input.allowed;
        if (input.read_only !== undefined) row.readOnly = input.read_only;
        return job(`update-${id}`);
      },
      delete: async (_p, id) => {
        calls.push(`delete ${id}`);
        rows.splice(
          rows.findIndex((r) => r.id === id),
          1,
        );
        return job(`delete-${id}`);
      },
    },
    engine: { wait },
  });
  return { shares, calls, rows };
}

const nfs = { protocol: 'nfs' as const, allowed: ['10.0.0.0/8'], readOnly: true };

test('a volume has one share: a second is refused, without a share nothing is deleted', async () => {
  const { shares, calls } = rig([{ protocol: 'nfs' }, { protocol: 'iscsi', hosts: ['h1'] }]);
  await assert.rejects(shares.create(P, 'v1', nfs), { code: 'VOLUME_ALREADY_SHARED' });
  assert.equal((await shares.of(P, 'v1'))?.id, 'e0', 'the share is the NFS export, not the lun mapping');
  assert.deepEqual(calls, []);
  const bare = rig([{ protocol: 'iscsi', hosts: ['h1'] }]);
  await assert.rejects(bare.shares.delete(P, 'v1'), { code: 'VOLUME_NOT_SHARED' });
  assert.deepEqual(bare.calls, []);
});

test('put: the same protocol changes in place, another is made first and the old one goes after', async () => {
  const same = rig([{ protocol: 'nfs' }]);
  assert.equal((await same.shares.put(P, 'v1', nfs)).id, 'e0');
  assert.deepEqual(same.calls, ['update e0 ro=true']);
  const other = rig([{ protocol: 'nfs' }]);
  assert.equal((await other.shares.put(P, 'v1', { ...nfs, protocol: 'smb' })).id, 'e1');
  assert.deepEqual(other.calls, ['create e1 smb', 'delete e0']);
  const none = rig([]);
  await none.shares.put(P, 'v1', nfs);
  assert.deepEqual(none.calls, ['create e0 nfs']);
});

test('map keeps a mapping that exists, unmap removes each and refuses when there is none', async () => {
  const { shares, calls } = rig([{ protocol: 'iscsi', hosts: ['h1'] }]);
  assert.equal((await shares.map(P, 'v1', 'h1')).id, 'e0');
  assert.equal((await shares.map(P, 'v1', 'h2')).id, 'e1');
  assert.deepEqual(calls, ['create e1 iscsi']);
  assert.deepEqual(await shares.sharing(P, 'v1'), { share: undefined, hosts: ['h1', 'h2'] });
  await shares.unmap(P, 'v1', 'h1');
  await assert.rejects(shares.unmap(P, 'v1', 'h1'), { code: 'VOLUME_NOT_MAPPED' });
  assert.deepEqual(calls, ['create e1 iscsi', 'delete e0']);
  assert.deepEqual(
    (await shares.lunsOf(P, 'h2')).map((e) => e.id),
    ['e1'],
  );
});

test('a failed job is the error it carried, and the rule stops there', async () => {
  const failed = async (id: string) =>
    ({ id, state: 'failed', error: { code: 'EXPORT_NOT_READY', message: 'busy', details: {} } }) as never;
  const { shares, calls } = rig([{ protocol: 'nfs' }], failed);
  await assert.rejects(shares.put(P, 'v1', { ...nfs, protocol: 'smb' }), { code: 'EXPORT_NOT_READY' });
  assert.deepEqual(calls, ['create e1 smb'], 'the old share is not deleted when the new one failed');
});

const net = ['10.0.0.0/8'];
const view = (rows: ExportRecord[]) =>
  rows.map((r) => `${r.id} ${r.protocol} ${r.allowed.join(',')} ro=${r.readOnly}`);

test('apply: protocols turned on are made (NFS first), with the settings given or open and read-write', async () => {
  const both = rig([{ protocol: 'iscsi', hosts: ['h1'] }]);
  await both.shares.apply(P, 'v1', { nfs: true, smb: true, allowed: net, nfsReadOnly: true });
  assert.deepEqual(both.calls, ['create e1 nfs', 'create e2 smb']);
  assert.deepEqual(view(both.rows).slice(1), ['e1 nfs 10.0.0.0/8 ro=true', 'e2 smb 10.0.0.0/8 ro=false']);
  const open = rig([]);
  await open.shares.apply(P, 'v1', { smb: true });
  assert.deepEqual(view(open.rows), [`e0 smb ${EVERY_ADDRESS.join(',')} ro=false`]);
  const none = rig([]);
  await none.shares.apply(P, 'v1', { allowed: net, nfsReadOnly: true });
  assert.deepEqual(none.calls, [], 'settings alone make no export');
});

test('apply: exports that stay change in place in what is given; turned off, they go', async () => {
  const { shares, calls, rows } = rig([
    { protocol: 'nfs', allowed: ['192.0.2.1'] },
    { protocol: 'smb', allowed: ['192.0.2.1'] },
  ]);
  await shares.apply(P, 'v1', {});
  await shares.apply(P, 'v1', { nfs: true, smb: true });
  assert.deepEqual(calls, [], 'nothing given, nothing changes');
  await shares.apply(P, 'v1', { nfsReadOnly: true });
  assert.deepEqual(calls, ['update e0 ro=true'], 'read-only is NFS only');
  await shares.apply(P, 'v1', { allowed: net, nfs: undefined });
  assert.deepEqual(calls.slice(1), ['update e0 ro=undefined', 'update e1 ro=undefined']);
  assert.deepEqual(view(rows), ['e0 nfs 10.0.0.0/8 ro=true', 'e1 smb 10.0.0.0/8 ro=false']);
  await shares.apply(P, 'v1', { smb: false, allowed: ['192.0.2.9'] });
  assert.deepEqual(calls.slice(3), ['update e0 ro=undefined', 'delete e1']);
  await shares.apply(P, 'v1', { nfs: false, smb: true });
  assert.deepEqual(calls.slice(5), ['delete e0', 'create e2 smb']);
});

test('apply: each job is waited for until the deadline, at least a second; one still running is an error', async () => {
  const waited: number[] = [];
  const slow = rig([], async (id, ms) => {
    waited.push(ms ?? -1);
    return { id, state: 'succeeded' } as never;
  });
  await slow.shares.apply(P, 'v1', { nfs: true }, { deadline: Date.now() + 10_500 });
  await slow.shares.apply(P, 'v1', { nfs: false }, { deadline: Date.now() - 5000 });
  await slow.shares.apply(P, 'v1', { smb: true });
  assert.deepEqual(waited, [10_000, 1000, 900_000]);
  const running = rig([], async (id) => ({ id, state: 'running' }) as never);
  await assert.rejects(running.shares.apply(P, 'v1', { nfs: true, smb: true }, { deadline: Date.now() }), {
    code: 'SERVICE_UNAVAILABLE',
  });
  assert.deepEqual(running.calls, ['create e0 nfs'], 'the rule stops at the job that did not end');
});
