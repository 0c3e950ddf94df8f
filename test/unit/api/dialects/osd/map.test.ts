// The OSD dialect's pure mappers: OpenStorage's enums and times, case-insensitive keys, a volume
// spec → Cairn, Cairn's objects → OpenStorage's, and its error table.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Type } from '@sinclair/typebox';
import {
  ACTION,
  actionValue,
  alertNumber,
  canonicalKeys,
  enumValue,
  FS_TYPE,
  historyRows,
  labelFilters,
  cairnName,
  FORMAT_KEY,
  osdAlert,
  osdCluster,
  osdSnapshotVolume,
  osdStats,
  osdTime,
  osdVolume,
  resourceOf,
  specToCreate,
  STATUS,
  VOLUME_STATE,
  VOLUME_STATUS,
  type NodeFacts,
} from '../../../../../src/api/dialects/osd/map.js';
import { grpcCode, notSupported, osdError } from '../../../../../src/api/dialects/osd/errors.js';
import { SnapCreateRequest, VolumeCreateRequest } from '../../../../../src/api/dialects/osd/schemas.js';
import type { Snapshot, Volume } from '../../../../../src/domain/volumes.js';
import type { Alert } from '../../../../../src/domain/monitor.js';

const volume = (o: Partial<Volume> = {}): Volume => ({
  id: '11111111-2222-3333-4444-555555555555',
  name: 'v1',
  display_name: 'v1',
  labels: {},
  metadata: {},
  pool: 'p',
  type: 'lun',
  size: 1024 ** 3,
  thin: true,
  block_size: 512,
  nocow: false,
  compression: 'inherit',
  snapshot_limit: 1000,
  state: 'online',
  path: '/x',
  lun_file: '/x/lun',
  parent: null,
  parent_path: null,
  used: 4096,
  referenced: 4096,
  exclusive: 1024,
  sizes_at: '2024-01-02T03:04:05.678Z',
  origin_snapshot: null,
  snapshot_count: 0,
  exports: [],
  dependents: [],
  attachments: 0,
  error: null,
  created_at: '2017-02-27T21:15:12.328Z',
  updated_at: '2017-02-27T21:15:12.328Z',
  ...o,
});

test('times are google.protobuf.Timestamp JSON: {seconds, nanos}', () => {
  assert.deepEqual(osdTime('2017-02-27T21:15:12.328Z'), { seconds: 1488230112, nanos: 328_000_000 });
  assert.deepEqual(osdTime('1970-01-01T00:00:00Z'), { seconds: 0, nanos: 0 });
  assert.equal(osdTime(null), undefined);
  assert.equal(osdTime('not a time'), undefined);
});

test('enums: integers as Go sends them, or names; the action values NONE 0, OFF 1, ON 2', () => {
  assert.deepEqual([ACTION.NONE, ACTION.OFF, ACTION.ON], [0, 1, 2]);
  assert.equal(enumValue(FS_TYPE, 'FS_TYPE_', 2), FS_TYPE.EXT4);
  assert.equal(enumValue(FS_TYPE, 'FS_TYPE_', 'FS_TYPE_XFS'), FS_TYPE.XFS);
  assert.equal(enumValue(FS_TYPE, 'FS_TYPE_', 'btrfs'), FS_TYPE.BTRFS);
  assert.equal(enumValue(FS_TYPE, 'FS_TYPE_', '6'), FS_TYPE.XFS);
  assert.equal(enumValue(FS_TYPE, 'FS_TYPE_', 99), undefined);
  assert.equal(enumValue(FS_TYPE, 'FS_TYPE_', 'ntfs'), undefined);
  assert.equal(actionValue(2), ACTION.ON);
  assert.equal(actionValue('VOLUME_ACTION_PARAM_OFF'), ACTION.OFF);
  assert.equal(actionValue(true), ACTION.ON);
  assert.equal(actionValue(undefined), ACTION.NONE);
  // The numbers of api.proto, as the seed shows them (state 4 detached, status 2 up, format 2 ext4).
  assert.equal(VOLUME_STATE.DETACHED, 4);
  assert.equal(VOLUME_STATUS.UP, 2);
  assert.equal(FS_TYPE.EXT4, 2);
  assert.equal(STATUS.OK, 2);
});

test('keys are matched ignoring case along the schema; map keys are kept', () => {
  const body = { ID: 'abc', Locator: { NAME: 'snap', Volume_Labels: { App: 'DB' } }, ReadOnly: true };
  assert.deepEqual(canonicalKeys(body, SnapCreateRequest), {
    id: 'abc',
    locator: { name: 'snap', volume_labels: { App: 'DB' } },
    readonly: true,
  });
  // Unknown keys stay (the schema refuses them by name); the exact spelling wins over a variant.
  assert.deepEqual(canonicalKeys({ id: 'a', Id: 'b', Bogus: 1 }, SnapCreateRequest), { id: 'a', Bogus: 1 });
  const create = canonicalKeys(
    { LOCATOR: { name: 'v' }, Spec: { Size: 5, HA_LEVEL: 1 } },
    VolumeCreateRequest,
  );
  assert.deepEqual(create, { locator: { name: 'v' }, spec: { size: 5, ha_level: 1 } });
  const q = Type.Object({ VolumeID: Type.Union([Type.String(), Type.Array(Type.String())]) });
  assert.deepEqual(canonicalKeys({ volumeid: ['a', 'b'] }, q), { VolumeID: ['a', 'b'] });
  assert.equal(canonicalKeys('x', q), 'x');
});

test('a spec becomes a lun (ext4 by default, xfs) or a filesystem volume (btrfs)', () => {
  const lun = specToCreate({ size: 1024 ** 3, format: FS_TYPE.EXT4, block_size: 4096 }, { app: 'db' });
  assert.deepEqual(lun.problems, []);
  assert.deepEqual(lun.input, {
    type: 'lun',
    size: 1024 ** 3,
    fs: 'ext4',
    block_size: 4096,
    labels: { app: 'db' },
  });
  assert.equal(specToCreate({ size: 1 << 20 }, undefined).input?.fs, 'ext4');
  assert.equal(specToCreate({ size: 1 << 20, format: 'xfs' }, undefined).input?.fs, 'xfs');
  const fs = specToCreate({ size: 1 << 20, format: FS_TYPE.BTRFS, compressed: true, block_size: 65536 }, {});
  assert.deepEqual(fs.input, {
    type: 'filesystem',
    size: 1 << 20,
    fs: null,
    compression: 'zstd',
    labels: {},
  });
  // Spec labels and locator labels both count; the locator's win.
  assert.deepEqual(
    specToCreate({ size: 1 << 20, volume_labels: { a: '1', b: '1' } }, { b: '2' }).input?.labels,
    {
      a: '1',
      b: '2',
    },
  );
});

test('what Cairn cannot make is refused, every reason at once, ha_level with the node count', () => {
  const r = specToCreate({ ha_level: 3, format: FS_TYPE.ZFS, encrypted: true }, undefined);
  assert.equal(r.input, undefined);
  const msg = r.problems.map((p) => `${p.field}: ${p.message}`);
  assert.ok(msg.includes('spec.ha_level: ha_level 3 needs 3 nodes; this cluster has 1'), msg.join('\n'));
  assert.ok(msg.some((m) => m.startsWith('spec.format: FSType zfs is not supported by Cairn')));
  assert.ok(msg.some((m) => m.startsWith('spec.size:')));
  assert.ok(msg.some((m) => m.startsWith('spec.encrypted:')));
  assert.deepEqual(specToCreate({ size: 1, format: 42 }, undefined).problems[0]?.field, 'spec.format');
});

test('a Cairn volume as an OSD Volume: state by attachment, times, spec, replica set of this node', () => {
  const v = osdVolume(volume(), { nodeId: 'n1', attachments: [], labels: { app: 'db' }, lunFs: 'ext4' });
  assert.equal(v.id, volume().id);
  assert.deepEqual(v.locator, { name: 'v1', volume_labels: { app: 'db' } });
  assert.deepEqual(v.ctime, { seconds: 1488230112, nanos: 328_000_000 });
  assert.equal(v.state, VOLUME_STATE.DETACHED);
  assert.equal(v.status, VOLUME_STATUS.UP);
  assert.equal(v.format, FS_TYPE.EXT4);
  assert.equal(v.spec.size, 1024 ** 3);
  assert.equal(v.spec.ha_level, 1);
  assert.equal(v.usage, 4096);
  assert.deepEqual(v.replica_sets, [{ nodes: ['n1'] }]);
  assert.equal(v.device_path, undefined);
  const a = osdVolume(volume(), {
    nodeId: 'n1',
    attachments: [{ device_path: '/dev/loop7' }, { device_path: '/dev/loop7', mount_path: '/mnt/x' }],
  });
  assert.equal(a.state, VOLUME_STATE.ATTACHED);
  assert.equal(a.device_path, '/dev/loop7');
  assert.deepEqual(a.attach_path, ['/mnt/x']);
  assert.equal(a.attached_on, 'n1');
  const fsv = osdVolume(volume({ type: 'filesystem', state: 'creating', origin_snapshot: 's1' }), {
    nodeId: 'n1',
    attachments: [],
  });
  assert.equal(fsv.format, FS_TYPE.BTRFS);
  assert.equal(fsv.state, VOLUME_STATE.PENDING);
  assert.equal(fsv.status, VOLUME_STATUS.NOT_PRESENT);
  assert.deepEqual(fsv.source, { parent: 's1' });
  assert.equal(
    osdVolume(volume({ state: 'error', error: 'boom' }), { nodeId: 'n', attachments: [] }).status,
    VOLUME_STATUS.DOWN,
  );
});

test('a snapshot is a read-only OSD Volume whose source.parent is its volume', () => {
  const s: Snapshot = {
    id: 's1',
    name: 'snap-a',
    display_name: 'snap-a',
    labels: {},
    volume: volume().id,
    pool: 'p',
    state: 'available',
    path: '/s',
    referenced: 10,
    exclusive: 3,
    sizes_at: null,
    clone_count: 0,
    holds: [],
    created_at: '2017-02-27T21:15:12.328Z',
    writable: false,
  };
  const o = osdSnapshotVolume(s, volume(), {
    nodeId: 'n1',
    displayName: 'v1.snap-2017-02-27T21:15:12.328514381Z',
  });
  assert.deepEqual(o.source, { parent: volume().id });
  assert.equal(o.readonly, true);
  assert.equal(osdSnapshotVolume({ ...s, writable: true }, volume(), { nodeId: 'n' }).readonly, false);
  assert.equal(o.locator.name, 'v1.snap-2017-02-27T21:15:12.328514381Z');
  assert.equal(o.spec.size, 1024 ** 3);
  assert.equal(o.state, VOLUME_STATE.DETACHED);
  assert.equal(o.usage, 3);
});

test('OSD names Cairn cannot take become safe names with a suffix; label filters; the format key', () => {
  assert.equal(cairnName('px7vol', 'ab12'), 'px7vol');
  assert.equal(
    cairnName('v1.snap-2017-02-27T21:15:12.328514381Z', 'ab12'),
    'v1.snap-2017-02-27T21-15-12.328514381Z-ab12',
  );
  assert.equal(cairnName('::', 'ab12'), 'osd-ab12');
  assert.equal(cairnName('x'.repeat(80) + ':', 'ab12').length, 64);
  assert.match(cairnName('x'.repeat(80) + ':', 'ab12'), /-ab12$/);
  assert.deepEqual(labelFilters({ a: '1', b: '' }), [{ key: 'a', value: '1' }, { key: 'b' }]);
  assert.equal(FORMAT_KEY, 'osd.format');
});

test('stats from block counters; history rows by time', () => {
  const s = osdStats(
    {
      reads_total: 5,
      read_bytes_total: 4096,
      writes_total: 7,
      written_bytes_total: 8192,
      io_time_seconds_total: 1.5,
      in_flight: 2,
    },
    100,
    2000,
  );
  assert.deepEqual(s, {
    reads: 5,
    read_ms: 0,
    read_bytes: 4096,
    writes: 7,
    write_ms: 0,
    write_bytes: 8192,
    io_progress: 2,
    io_ms: 1500,
    bytes_used: 100,
    interval_ms: 2000,
  });
  const rows = historyRows([
    {
      metric: 'used_bytes',
      points: [
        { ts: '2024-01-01T01:00:00.000Z', avg: 5 },
        { ts: '2024-01-01T00:00:00.000Z', avg: 4 },
      ],
    },
    { metric: 'size_bytes', points: [{ ts: '2024-01-01T00:00:00.000Z', value: 9 }] },
  ]);
  assert.deepEqual(rows, [
    { timestamp: { seconds: 1704067200, nanos: 0 }, used_bytes: 4, size_bytes: 9 },
    { timestamp: { seconds: 1704070800, nanos: 0 }, used_bytes: 5 },
  ]);
});

test('alerts: int64 ids from the UUID, severity and resource types', () => {
  const a: Alert = {
    id: '0123abcd-ef01-4000-8000-000000000000',
    rule: 'pool_full',
    object_type: 'volume',
    object_id: 'v',
    pool_id: null,
    severity: 'critical',
    state: 'raised',
    message: 'm',
    details: {},
    count: 2,
    raised_at: '2024-01-01T00:00:00Z',
    last_seen_at: '2024-01-01T00:00:01Z',
    acknowledged_at: null,
    acknowledged_by: null,
    cleared_at: null,
  };
  assert.equal(alertNumber(a.id), 0x0123abcdef014);
  assert.ok(Number.isSafeInteger(alertNumber('ffffffff-ffff-ffff-ffff-ffffffffffff')));
  const o = osdAlert(a);
  assert.equal(o.severity, 1);
  assert.equal(o.resource, 1);
  assert.equal(o.cleared, false);
  assert.equal(o.count, 2);
  assert.deepEqual(o.first_seen, { seconds: 1704067200, nanos: 0 });
  assert.equal(resourceOf('volume'), 1);
  assert.equal(resourceOf('2'), 2);
  assert.equal(resourceOf('planet'), undefined);
});

test('the cluster is one node with the Go field names of api.Cluster / api.Node', () => {
  const f: NodeFacts = {
    nodeId: 'n1',
    clusterId: 'c1',
    hostname: 'h',
    ip: '10.0.0.1',
    maintenance: false,
    cpuPercent: 12.5,
    memTotal: 1000,
    memFree: 400,
    load1: 0.7,
    startTime: '2024-01-01T00:00:00.000Z',
    now: '2024-01-01T01:00:00.000Z',
    osName: 'Debian 12',
    kernel: '6.1',
    version: '1.0.0',
    pools: [{ id: 'p', name: 'p1', size: 100, used: 40, devices: ['/dev/loop1'], online: true }],
    allocated: 70,
  };
  const c = osdCluster(f);
  assert.equal(c.Id, 'c1');
  assert.equal(c.NodeId, 'n1');
  assert.equal(c.Status, STATUS.OK);
  const n = c.Nodes[0]!;
  assert.equal(n.Id, 'n1');
  assert.equal(n.MemUsed, 600);
  assert.equal(n.Avgload, 1);
  assert.equal(n.MgmtIp, '10.0.0.1');
  assert.deepEqual(n.NodeData.storage_stats, {
    DiskTotal: 100,
    DiskUtil: 40,
    DiskAvail: 60,
    Cpu: 12.5,
    Memory: 60,
    PendingIo: 0,
  });
  assert.equal(n.NodeData['STORAGE-RUNTIME'].TotalAllocated, 70);
  assert.equal(osdCluster({ ...f, maintenance: true }).Nodes[0]!.Status, STATUS.MAINTENANCE);
});

test('errors: Cairn codes to gRPC classes and HTTP statuses, as OpenStorage passes them on', () => {
  assert.equal(grpcCode('VOLUME_NOT_FOUND', 404), 'NotFound');
  assert.equal(grpcCode('VOLUME_NAME_TAKEN', 409), 'AlreadyExists');
  assert.equal(grpcCode('VALIDATION_FAILED', 400), 'InvalidArgument');
  assert.equal(grpcCode('VOLUME_IN_USE', 409), 'FailedPrecondition');
  assert.equal(grpcCode('UNAUTHENTICATED', 401), 'Unauthenticated');
  assert.equal(grpcCode('SOMETHING_NEW', 422), 'FailedPrecondition');
  assert.equal(grpcCode('SOMETHING_ELSE', 500), 'Internal');
  assert.deepEqual(osdError('VOLUME_NOT_FOUND', 404, 'volume x does not exist'), {
    status: 404,
    text: 'rpc error: code = NotFound desc = volume x does not exist [VOLUME_NOT_FOUND]',
  });
  const n = notSupported('cloud backup', 'why');
  assert.equal(n.status, 501);
  assert.match(n.text, /cloud backup is not supported by Cairn: why/);
});
