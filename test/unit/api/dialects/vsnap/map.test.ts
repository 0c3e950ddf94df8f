// The vSnap dialect's pure mappers and error table: Cairn's wire objects in vSnap's words.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  ALL_HOSTS,
  epoch,
  INIT_STATUS,
  lunOf,
  share,
  shareDetails,
  shareSettings,
  networkInterface,
  poolProfile,
  poolStatus,
  ratio,
  str,
} from '../../../../../src/api/dialects/vsnap/map.js';
import { vsnapErrorType } from '../../../../../src/api/dialects/vsnap/errors.js';

test('numbers are strings, times epoch seconds, ratios with an x', () => {
  assert.equal(str(1536.4), '1536');
  assert.equal(str(null), null);
  assert.equal(epoch('2026-12-04T10:00:00.900Z'), String(Date.UTC(2026, 11, 4, 10) / 1000));
  assert.equal(epoch(null), null);
  assert.equal(ratio(1.456), '1.46x');
  assert.equal(ratio(0), '1.00x', 'nothing stored yet reads as no saving');
});

test('pool types become btrfs profiles; a raid0 of one disk is single', () => {
  assert.equal(poolProfile('raid0', 1), 'single');
  assert.equal(poolProfile('raid0', 3), 'raid0');
  assert.equal(poolProfile('raid5', 3), 'raid5');
  assert.equal(poolProfile('raid6', 4), 'raid6');
});

test('pool status: the state while it changes, else the health in capitals', () => {
  assert.equal(poolStatus({ state: 'creating', health: 'online' }), 'CREATING');
  assert.equal(poolStatus({ state: 'deleting', health: 'online' }), 'DESTROYING');
  assert.equal(poolStatus({ state: 'ready', health: 'degraded' }), 'DEGRADED');
  assert.equal(poolStatus({ state: 'ready', health: 'faulted' }), 'FAULTED');
});

test("only vSnap's network services are shown", () => {
  const n = networkInterface({ name: 'eth0', services: ['mgmt', 'nfs', 'nbd', 'iscsi'] });
  assert.deepEqual(n.services, ['mgmt', 'nfs', 'iscsi']);
  assert.equal(n.name, 'eth0');
});

test('error types: the table first, then by the code and status', () => {
  assert.equal(vsnapErrorType('VALIDATION_FAILED', 400), 'InvalidParameterError');
  assert.equal(vsnapErrorType('OBJECT_LOCKED', 409), 'BusyError');
  assert.equal(vsnapErrorType('PARTNER_UNREACHABLE', 502), 'ConnectionError');
  assert.equal(vsnapErrorType('VOLUME_NOT_FOUND', 404), 'NotFoundError');
  assert.equal(vsnapErrorType('VOLUME_NAME_TAKEN', 409), 'AlreadyExistsError');
  assert.equal(vsnapErrorType('SOMETHING_ELSE', 409), 'ConflictError');
  assert.equal(vsnapErrorType('SOMETHING_ELSE', 422), 'InvalidOperationError');
  assert.equal(vsnapErrorType('SOMETHING_ELSE', 503), 'InternalError');
});

test('a share body in Cairn words: all is every address, NFS unsquashed, host names refused', () => {
  assert.deepEqual(shareSettings({ share_type: 'nfs', share_options: { allowed_hosts: ['all'] } }), {
    protocol: 'nfs',
    allowed: ALL_HOSTS,
    readOnly: false,
    rootSquash: false,
  });
  assert.deepEqual(
    shareSettings({ share_type: 'smb', share_options: { read_only: true, allowed_hosts: ['10.0.0.0/8'] } }),
    { protocol: 'smb', allowed: ['10.0.0.0/8'], readOnly: true },
  );
  assert.throws(
    () => shareSettings({ share_type: 'nfs', share_options: { allowed_hosts: ['backup.example', '::1'] } }),
    (e: { code: string; message: string }) =>
      e.code === 'VALIDATION_FAILED' && /backup\.example/.test(e.message),
  );
});

test('a share in vSnap words: ids given, every address reads all, times in epoch seconds', () => {
  const e = {
    exportName: 'fs1',
    protocol: 'nfs',
    readOnly: true,
    allowed: ['0.0.0.0/0', '::/0'],
    uri: 'nfs://h/fs1',
    options: {},
    createdAt: '2026-12-04T10:00:00Z',
    updatedAt: '2026-12-04T10:00:01Z',
  } as unknown as Parameters<typeof share>[2];
  assert.deepEqual(share('7', '3', e), {
    id: '7',
    name: 'fs1',
    vol_id: '3',
    share_type: 'nfs',
    time_created: String(Date.UTC(2026, 11, 4, 10) / 1000),
    time_updated: String(Date.UTC(2026, 11, 4, 10) / 1000 + 1),
  });
  assert.deepEqual(shareDetails(e), {
    share_options: { read_only: true, allowed_hosts: ['all'] },
    uri: 'nfs://h/fs1',
  });
  assert.deepEqual(shareDetails({ ...e, allowed: ['10.1.2.3'] }).share_options.allowed_hosts, ['10.1.2.3']);
  assert.equal(lunOf({ options: { lun: 4 } }), '4');
  assert.equal(lunOf({ options: {} }), '1');
});

test('initialization statuses are vSnap words', () => {
  assert.deepEqual(INIT_STATUS, {
    not_initialized: 'Not Initialized',
    initializing: 'Initializing',
    ready: 'Ready',
  });
});
