// NGX mappers: ids derived from the stored objects and read back, sizes with their unit letter,
// NGX's log query words as native list filters, and the pool / LUN / snapshot answer shapes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  accessNet,
  allowedOf,
  hostName,
  keptSettings,
  bytesOf,
  cairnId,
  capacityInfo,
  eventTime,
  logNumber,
  logTime,
  lunDetail,
  nativeLogQuery,
  ngxId,
  poolDetail,
  portalAddress,
  portalId,
  readLogQuery,
  scsiLunId,
  snapshotDetail,
  uptimeText,
} from '../../../../../src/api/dialects/ngx/map.js';

const U = '0f8fad5b-d9cb-469f-a165-70867728950e';

test('ids: 40 hex from the UUID and the kind, read back only as that kind', () => {
  const v = ngxId('volume', U);
  assert.match(v, /^[0-9a-f]{40}$/);
  assert.equal(cairnId('volume', v), U);
  assert.equal(cairnId('volume', v.toUpperCase()), U);
  assert.equal(cairnId('snapshot', v), null, 'a volume id is not a snapshot id');
  assert.notEqual(ngxId('snapshot', U), v);
  assert.equal(cairnId('volume', 'abc'), null);
  assert.equal(cairnId('volume', 'z'.repeat(40)), null);
  assert.equal(scsiLunId(U), '589c000f8fad5bd9cb469fa16570867728950e');
});

test('portal groups: one id per address (IPv4, IPv6) and one for all, read back from the known addresses', () => {
  const all = portalId('all');
  assert.match(all, /^[0-9a-f]{40}$/);
  const a = portalId('10.0.0.5');
  assert.equal(a.slice(0, 32), '00000000000000000000ffff0a000005');
  const b = portalId('fe80::1');
  assert.equal(b.slice(0, 32), 'fe800000000000000000000000000001');
  assert.equal(portalAddress(a, ['127.0.0.1', '10.0.0.5']), '10.0.0.5');
  assert.equal(portalAddress(b, ['fe80::1']), 'fe80::1');
  assert.equal(portalAddress(all, []), 'all');
  assert.equal(portalAddress(a, ['127.0.0.1']), null);
});

test('sizes with their unit letter (default G), times and uptime as NGX writes them', () => {
  assert.equal(bytesOf(2), 2 * 1024 ** 3);
  assert.equal(bytesOf(512, 'M'), 512 * 1024 ** 2);
  assert.equal(bytesOf(1, 'T'), 1024 ** 4);
  assert.equal(logTime('2025-03-24T09:33:08.120Z'), '2025-03-24 09:33:08');
  assert.equal(eventTime('2025-03-04T15:33:40Z'), '03/04/2025 15:33:40');
  assert.equal(uptimeText(33 * 60 + 38), '33 minutes, 38 seconds');
  assert.equal(uptimeText(86400 + 1), '1 day, 1 second');
  assert.equal(logNumber('8911'), 8911);
  assert.equal(logNumber(U), logNumber(U));
  assert.ok(Number.isSafeInteger(logNumber(U)));
});

test('logs: filter[…][], sort[], order, limit and page become the native list query', () => {
  const q = readLogQuery({
    'filter[type][]': ['warning', 'error'],
    'filter[time][]': ['2025-03-01', '2025-03-24 09:33:08'],
    'sort[]': 'time',
    order: 'desc',
    limit: '10',
    page: '2',
  });
  assert.deepEqual(nativeLogQuery('alert', q), {
    from: '2025-03-01T00:00:00.000Z',
    to: '2025-03-24T09:33:08Z',
    severity__in: 'warning,error',
    sort: 'at',
    order: 'desc',
    limit: '10',
    page: '2',
  });
  assert.deepEqual(
    nativeLogQuery('audit', readLogQuery({ 'filter[user]': 'admin', 'filter[host]': '192.168.1.29' })),
    { actor: 'admin', source: '192.168.1.29' },
  );
  assert.deepEqual(
    nativeLogQuery(
      'audit',
      readLogQuery({ 'filter[agent]': 'apikey', 'filter[description]': 'lun', 'sort[]': ['user'] }),
    ),
    { actor_kind__contains: 'apikey', url__contains: 'lun', sort: 'actor' },
  );
  assert.deepEqual(nativeLogQuery('system_event', readLogQuery({ 'filter[sensor]': 'pool', limit: '0' })), {
    object_type__contains: 'pool',
    limit: '1000',
  });
  assert.deepEqual(nativeLogQuery('alert', readLogQuery({ 'sort[]': ['bogus'] })), {});
});

test('pools: NGX detail with RAID words, disks as data and the integrity of the last scrub', () => {
  const d = poolDetail(
    {
      id: U,
      name: 'test',
      health: 'degraded',
      state: 'ready',
      profile: 'raid1',
      disks: [
        { name: 'd1', state: 'in_pool', path: '/dev/loop1', devid: 1 },
        { name: 'd2', state: 'missing', path: null, devid: 2 },
      ],
      last_scrub: null,
    },
    'ABCD1234_A',
    false,
  );
  assert.equal(d.pool_id, ngxId('pool', U));
  assert.equal(d.status, 'DEGRADED');
  assert.equal(d.raidtype, 'raid1');
  assert.equal(d.stripe_len, 2);
  assert.deepEqual(
    d.data.map((x) => [x.disk, x.state, x.enclosure]),
    [
      ['d1', 'ONLINE', 'E1:S1'],
      ['d2', 'UNAVAIL', 'E1:S2'],
    ],
  );
  assert.deepEqual(d.integrity, { can_start: 1, can_stop: 0, info: 'No info' });
  const c = capacityInfo({
    size: 1000,
    used: 300,
    free: 700,
    allocated: 400,
    compressRatio: 1.19,
    dedupRatio: 1,
    iscsi: 100,
    shares: 200,
    replica: 0,
    reserved: 600,
  });
  assert.deepEqual(c, {
    allocated_size: '400',
    compress_ratio: '1.19',
    dedup_ratio: '1.00x',
    free_size: '700',
    logical_avail: '400',
    logical_reserved: '600',
    total_size: '1000',
  });
});

test('LUNs and snapshots: NGX fields, the metadata bag read back with NGX defaults', () => {
  const l = lunDetail(
    {
      id: U,
      name: 'lun2',
      pool: 'p',
      size: 1073741824,
      used: 4096,
      thin: true,
      compression: 'zstd',
      block_size: 512,
      origin_snapshot: null,
      snapshot_bytes: 0,
      metadata: { 'ngx.blocksize': '32k', 'ngx.qos_priority': '32', 'ngx.io_type': 'sequential' },
    },
    'nvme1',
    '1',
    't1',
  );
  assert.equal(l.vol_id, ngxId('volume', U));
  assert.equal(l.blocksize, '32768');
  assert.equal(l.qos_priority, 32);
  assert.equal(l.io_type, 'sequential');
  assert.equal(l.dedup, 'off');
  assert.equal(l.compress, 'on');
  assert.equal(l.provision_type, 'thin');
  assert.deepEqual(l.protocols, { fc: null, iscsi: 't1' });
  assert.equal(l.vol_size, '1073741824');
  const s = snapshotDetail(
    { id: U, name: 'x', volume: U, exclusive: 57344, clone_count: 1, created_at: '2024-04-16T07:14:26Z' },
    'x',
    'nvme1',
  );
  assert.deepEqual(s, {
    reserved: '57344',
    pool_name: 'nvme1',
    binded: 1,
    restore: 1,
    snap_name: 'x',
    snap_id: ngxId('snapshot', U),
    vol_name: 'x',
    created: '1713251666',
  });
});

test('auth groups and shares: host names from free text, initiator ids, kept settings, networks', () => {
  assert.equal(hostName('asdsadasasdasd!d'), 'asdsadasasdasd_d');
  assert.equal(hostName('new_auth_group'), 'new_auth_group');
  assert.equal(hostName('-x'), 'gx');
  assert.deepEqual(keptSettings({ deduplication: 'on', qos_priority: 32 }, { 'ngx.io_type': 'sequential' }), {
    'ngx.io_type': 'sequential',
    'ngx.deduplication': 'on',
    'ngx.qos_priority': '32',
  });
  assert.deepEqual(allowedOf('all'), ['0.0.0.0/0', '::/0']);
  assert.deepEqual(allowedOf(undefined), ['0.0.0.0/0', '::/0']);
  assert.deepEqual(allowedOf('10.0.0.0/8, 192.168.1.29'), ['10.0.0.0/8', '192.168.1.29']);
  assert.equal(accessNet(['0.0.0.0/0', '::/0']), 'all');
  assert.equal(accessNet(['10.0.0.0/8']), '10.0.0.0/8');
});
