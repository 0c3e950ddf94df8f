// Pure rules of attachments: which mount paths lie inside the allowed roots; the mount argv.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mountRootOf } from '../../../src/domain/attachments.js';
import { bindArgv, mkfsArgv, mountDeviceArgv } from '../../../src/system/mounts/argv.js';

const roots = ['/mnt', '/var/lib/cairn/mounts/'];

test('mount paths: strictly inside a root, absolute, no . or ..', () => {
  assert.deepEqual(mountRootOf('/mnt/a/b', roots), { root: '/mnt', segments: ['a', 'b'] });
  assert.deepEqual(mountRootOf('/var/lib/cairn/mounts/v1/', roots), {
    root: '/var/lib/cairn/mounts',
    segments: ['v1'],
  });
  for (const bad of [
    '/mnt',
    '/mnt/',
    '/mntx/a',
    'mnt/a',
    '/mnt/../etc',
    '/mnt/./a',
    '/etc/x',
    '/var/lib/cairn',
  ])
    assert.ok('problem' in mountRootOf(bad, roots), bad);
  assert.match(
    (mountRootOf('/srv/x', roots) as { problem: string }).problem,
    /\/mnt, \/var\/lib\/cairn\/mounts/,
  );
});

test('mount argv: read-only binds and devices, mkfs per filesystem', () => {
  assert.deepEqual(bindArgv('/p/v', '/mnt/a', true), ['mount', '--bind', '-o', 'ro', '/p/v', '/mnt/a']);
  assert.deepEqual(bindArgv('/p/v', '/mnt/a', false), ['mount', '--bind', '/p/v', '/mnt/a']);
  assert.deepEqual(mountDeviceArgv('/dev/loop3', '/mnt/a', 'xfs', false), [
    'mount',
    '-t',
    'xfs',
    '-o',
    'rw',
    '/dev/loop3',
    '/mnt/a',
  ]);
  assert.equal(mkfsArgv('/dev/loop3', 'xfs')[0], 'mkfs.xfs');
  assert.equal(mkfsArgv('/dev/loop3', 'ext4')[0], 'mkfs.ext4');
});
