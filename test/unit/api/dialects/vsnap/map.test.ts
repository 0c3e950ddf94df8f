// The vSnap dialect's pure mappers and error table: Cairn's wire objects in vSnap's words.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  epoch,
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
