// The btrfs adapter's one error table: filesystem, subvolume and stream failures map to a condition
// and a stable code by stderr, with the argv masked; unknown failures stay COMMAND_FAILED.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { btrfsError, conditionOf, type BtrfsFamily } from '../../../../src/system/btrfs/errors.js';

const r = (stderr: string) => ({ exitCode: 1, stdout: '', stderr });
const call = (family: BtrfsFamily, operation: string, argv: string[], secretArgs?: number[]) => ({
  family,
  operation,
  argv,
  ...(secretArgs ? { secretArgs } : {}),
});

test('filesystem failures: ENOSPC and a profile without enough devices have their pool codes', () => {
  const balance = call('filesystem', 'balance', ['btrfs', 'balance', 'start', '/p']);
  const e = btrfsError(balance, r("ERROR: error during balancing '/p': No space left on device"));
  assert.equal(e.code, 'POOL_NO_SPACE');
  assert.equal(e.details.condition, 'no_space');
  assert.equal(e.details.command, 'btrfs balance start /p');
  const mkfs = call('filesystem', 'mkfs', ['mkfs.btrfs', '-d', 'raid6']);
  const p = btrfsError(
    mkfs,
    r('ERROR: unable to create FS with data profile RAID6 (have 2 devices but 3 devices are required)'),
  );
  assert.equal(p.code, 'POOL_PROFILE_INVALID');
  assert.match(String(p.details.hint), /more devices/);
  const other = btrfsError(balance, r('ERROR: something else'));
  assert.equal(other.code, 'COMMAND_FAILED');
  assert.equal(other.details.condition, 'other');
  assert.match(other.message, /something else/);
});

test('subvolume failures: COMMAND_FAILED carrying the condition the caller may accept', () => {
  const c = (stderr: string) => conditionOf(r(stderr), 'subvolume');
  assert.equal(c('ERROR: unable to destroy quota group: Device or resource busy'), 'busy');
  assert.equal(c('ERROR: unable to destroy quota group: No such file or directory'), 'not_found');
  assert.equal(c('ERROR: target path already exists: volumes/v1'), 'exists');
  assert.equal(c('ERROR: quota not enabled'), 'quota_disabled');
  assert.equal(c('ERROR: something else'), 'other');
  // ENOSPC on a qgroup call is not the pool's POOL_NO_SPACE: that code belongs to filesystem calls.
  const e = btrfsError(
    call('subvolume', 'set qgroup limit', ['btrfs', 'qgroup', 'limit', '1', '/p/v']),
    r('ERROR: No space left on device'),
  );
  assert.equal(e.code, 'COMMAND_FAILED');
  assert.equal(e.details.condition, 'no_space');
  assert.match(e.message, /set qgroup limit: ERROR: No space left on device/);
});

test('stream failures: a missing parent and a broken stream have their replication codes', () => {
  const recv = call('stream', 'receive', ['btrfs', 'receive', '-e', '/p/in']);
  assert.equal(
    btrfsError(recv, r('ERROR: cannot find parent subvolume 1234-abcd')).code,
    'REPLICATION_PARENT_MISSING',
  );
  assert.equal(
    btrfsError(recv, r('ERROR: short read from stream: unexpected EOF')).code,
    'REPLICATION_STREAM_BROKEN',
  );
  // The stream rows never apply to other families ("incomplete" in a mount error means nothing).
  assert.equal(conditionOf(r('ERROR: incomplete'), 'filesystem'), 'other');
});

test('every error prints the argv masked as exec.ts does, never a secret', () => {
  const e = btrfsError(
    call('subvolume', 'create subvolume', ['btrfs', 'subvolume', 'create', '/p/a b', 's3cret'], [4]),
    r('ERROR: something else'),
  );
  assert.equal(e.details.command, 'btrfs subvolume create "/p/a b" ***');
  assert.doesNotMatch(JSON.stringify(e.details) + e.message, /s3cret/);
});
