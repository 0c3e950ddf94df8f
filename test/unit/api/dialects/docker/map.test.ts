// The Docker dialect's pure mappers: Portworx create options and inline specs, sizes, snapshot
// schedules, Engine API filters and prune rules, and the error table.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  ANONYMOUS_LABEL,
  createPlan,
  intervalCron,
  matchesFilters,
  parseFilters,
  parseInlineSpec,
  parseSchedule,
  parseSize,
  prunable,
  requestedVersion,
  filterProblem,
  dockerTime,
  anonymousName,
  askedMetadata,
  dockerSide,
  listedBy,
  type CreatePlan,
  type DockerVolumeFacts,
} from '../../../../../src/api/dialects/docker/map.js';
import { engineError } from '../../../../../src/api/dialects/docker/errors.js';

const GIB = 1024 ** 3;
const plan = (name: string, opts: Record<string, string> = {}): CreatePlan => {
  const r = createPlan(name, opts, 1);
  assert.ok('plan' in r, JSON.stringify(r));
  return r.plan;
};
const problems = (name: string, opts: Record<string, string>) => {
  const r = createPlan(name, opts, 1);
  assert.ok('problems' in r, 'expected problems');
  return r.problems;
};

test('sizes: a bare number is GB (the seed: "14" is 15032385536 bytes), units in powers of 1024', () => {
  assert.equal(parseSize('14'), 15032385536);
  assert.equal(parseSize('10G'), 10 * GIB);
  assert.equal(parseSize('10Gi'), 10 * GIB);
  assert.equal(parseSize('10GB'), 10 * GIB);
  assert.equal(parseSize('512M'), 512 * 1024 ** 2);
  assert.equal(parseSize('1.5G'), 1.5 * GIB);
  assert.equal(parseSize('1T'), 1024 * GIB);
  assert.equal(parseSize('4k', 1), 4096);
  for (const bad of ['', 'abc', '-1', '10X', '0', 'B', '10 iB']) assert.equal(parseSize(bad), null, bad);
});

test('the seed create: repl 3 on one node is refused with the reason, never as mirroring', () => {
  const p = problems('px7vol', { repl: '3', size: '14' });
  assert.deepEqual(
    p.map((x) => [x.field, x.message]),
    [['repl', 'repl 3 needs 3 nodes; this cluster has 1']],
  );
  assert.equal(problems('v', { ha_level: '2' })[0]!.message, 'ha_level 2 needs 2 nodes; this cluster has 1');
  assert.equal(problems('v', { repl: 'x' })[0]!.code, 'BAD_REPL');
  // repl 1 is what one node gives.
  assert.deepEqual(plan('px7vol', { repl: '1', size: '14' }), {
    name: 'px7vol',
    type: 'filesystem',
    size: 15032385536,
    labels: {},
    schedules: [],
  });
});

test('defaults: 1 GB btrfs filesystem volume', () => {
  assert.deepEqual(plan('v'), { name: 'v', type: 'filesystem', size: GIB, labels: {}, schedules: [] });
  assert.equal(plan('v', { fs: 'btrfs' }).type, 'filesystem');
});

test('unknown options are refused by name, all at once', () => {
  const p = problems('v', { io_priority: 'high', sticky: 'on', size: '1' });
  assert.deepEqual(
    p.map((x) => [x.field, x.code]),
    [
      ['io_priority', 'UNKNOWN_OPTION'],
      ['sticky', 'UNKNOWN_OPTION'],
    ],
  );
  assert.match(p[0]!.message, /^unknown option io_priority/);
});

test('inline specs in the name, explicit options win', () => {
  assert.deepEqual(parseInlineSpec('v1'), null);
  assert.deepEqual(parseInlineSpec('name=v1,size=10G'), { name: 'v1', opts: { size: '10G' } });
  assert.ok('problem' in (parseInlineSpec('size=10G') as object));
  assert.ok('problem' in (parseInlineSpec('name=v,junk') as object));
  const p = plan('name=v1,size=10G,repl=1,compression=on', { size: '2' });
  assert.equal(p.name, 'v1');
  assert.equal(p.size, 2 * GIB);
  assert.equal(p.compression, 'zstd');
  assert.equal(problems('name=v1,repl=2', {})[0]!.field, 'repl');
});

test('fs, block_size, compression, pool, labels', () => {
  const lun = plan('v', { fs: 'ext4', block_size: '4k', size: '1' });
  assert.deepEqual([lun.type, lun.filesystem, lun.block_size, lun.size], ['lun', 'ext4', 4096, GIB]);
  assert.equal(plan('v', { fs: 'xfs', block_size: '4' }).block_size, 4096, 'a bare small number is KB');
  assert.equal(plan('v', { fs: 'xfs', block_size: '512' }).block_size, 512);
  assert.equal(plan('v', { block_size: '4096' }).block_size, undefined, "btrfs's own block size is accepted");
  assert.match(
    problems('v', { block_size: '64k' })[0]!.message,
    /btrfs volume's block size is the pool's 4096/,
  );
  assert.equal(problems('v', { fs: 'zfs' })[0]!.code, 'BAD_FS');
  assert.equal(plan('v', { compression: 'off' }).compression, 'none');
  assert.equal(plan('v', { compression: 'zstd:3' }).compression, 'zstd:3');
  assert.equal(plan('v', { pool: 'tank' }).pool, 'tank');
  assert.deepEqual(plan('v', { labels: 'a=1,b=2', label: 'c' }).labels, { c: '', a: '1', b: '2' });
  assert.deepEqual(plan('name=v,labels=a=1;b=2', {}).labels, { a: '1', b: '2' });
});

test('snapshot schedules: snap_interval minutes and Portworx schedules become crons', () => {
  assert.equal(intervalCron(15), '*/15 * * * *');
  assert.equal(intervalCron(60), '0 */1 * * *');
  assert.equal(intervalCron(120), '0 */2 * * *');
  assert.equal(intervalCron(1440), '0 0 * * *');
  assert.ok(typeof intervalCron(7 * 60) !== 'string');
  assert.deepEqual(plan('v', { snap_interval: '30' }).schedules, [
    { name: 'interval', cron: '*/30 * * * *', keep: 5 },
  ]);
  assert.deepEqual(plan('v', { snap_interval: '0' }).schedules, []);
  assert.deepEqual(parseSchedule('periodic=60,10;daily=12:30,4#weekly=sunday@02:00;monthly=15@23:05,2'), {
    schedules: [
      { name: 'periodic', cron: '0 */1 * * *', keep: 10 },
      { name: 'daily', cron: '30 12 * * *', keep: 4 },
      { name: 'weekly', cron: '0 2 * * 0', keep: 5 },
      { name: 'monthly', cron: '5 23 15 * *', keep: 2 },
    ],
  });
  for (const bad of ['hourly=1', 'daily=25:00', 'weekly=someday@01:00', 'monthly=31@01:00', 'periodic=7'])
    assert.ok('problem' in parseSchedule(bad), bad);
  assert.equal(problems('v', { snap_interval: 'x' })[0]!.code, 'BAD_INTERVAL');
});

const vol = (o: Partial<DockerVolumeFacts> = {}): DockerVolumeFacts => ({
  name: 'data1',
  driver: 'cairn',
  labels: {},
  inUse: false,
  ...o,
});

test('Engine filters: both JSON shapes, unknown keys refused, values checked', () => {
  assert.deepEqual(parseFilters('{"name":["a"],"label":{"x=1":true,"y":false}}', ['name', 'label']), {
    name: ['a'],
    label: ['x=1'],
  });
  assert.deepEqual(parseFilters(undefined, ['name']), {});
  assert.deepEqual(parseFilters('{"foo":["a"]}', ['name']), { problem: "invalid filter 'foo'" });
  assert.ok('problem' in parseFilters('{', ['name']));
  assert.ok('problem' in parseFilters('{"name":[1]}', ['name']));
  assert.equal(filterProblem({ dangling: ['maybe'] }), "invalid filter value 'maybe': true, false, 1 or 0");
  assert.equal(filterProblem({ dangling: ['1'] }), null);
});

test('Engine filters: name substring, driver, labels ANDed, dangling', () => {
  const v = vol({ labels: { app: 'web', tier: '' } });
  assert.ok(matchesFilters(v, {}));
  assert.ok(matchesFilters(v, { name: ['ata'] }));
  assert.ok(!matchesFilters(v, { name: ['zz'] }));
  assert.ok(matchesFilters(v, { name: ['zz', 'data'] }), 'values of one key are ORed');
  assert.ok(matchesFilters(v, { driver: ['cairn'] }));
  assert.ok(!matchesFilters(v, { driver: ['local'] }));
  assert.ok(matchesFilters(v, { label: ['app=web', 'tier'] }));
  assert.ok(!matchesFilters(v, { label: ['app=web', 'other'] }), 'labels are ANDed');
  assert.ok(matchesFilters(v, { dangling: ['true'] }));
  assert.ok(!matchesFilters(vol({ inUse: true }), { dangling: ['true'] }));
  assert.ok(matchesFilters(vol({ inUse: true }), { dangling: ['false'] }));
});

test('prune: unused only; from API 1.42 anonymous only unless all=true', () => {
  const anon = vol({ labels: { [ANONYMOUS_LABEL]: '' } });
  assert.ok(prunable(anon, {}, '1.43'));
  assert.ok(!prunable(vol(), {}, '1.43'));
  assert.ok(prunable(vol(), { all: ['true'] }, '1.43'));
  assert.ok(prunable(vol(), {}, '1.41'), 'before 1.42 every unused volume');
  assert.ok(!prunable(vol({ inUse: true }), { all: ['1'] }, '1.41'));
  assert.ok(!prunable(vol({ labels: { keep: '1' } }), { all: ['true'], 'label!': ['keep'] }, '1.43'));
  assert.ok(prunable(vol({ labels: { a: 'b' } }), { all: ['true'], label: ['a=b'] }, '1.43'));
  assert.equal(requestedVersion('v1.41'), '1.41');
  assert.equal(requestedVersion(undefined), '1.43');
});

test('the driver and options asked at create are kept in metadata and shown back', () => {
  const md = askedMetadata('pxd', { size: '14', repl: '1' });
  assert.deepEqual(md, { 'docker.driver': 'pxd', 'docker.opt.size': '14', 'docker.opt.repl': '1' });
  assert.deepEqual(dockerSide({ ...md, 'docker.fs': 'ext4', 'osd.parent': 'x' }, 'cairn'), {
    driver: 'pxd',
    options: { size: '14', repl: '1' },
  });
  // Nothing asked (a native or OpenStorage volume, an Engine create without a driver): the plugin's name.
  assert.deepEqual(askedMetadata(undefined, {}), {});
  assert.deepEqual(dockerSide({}, 'cairn'), { driver: 'cairn', options: {} });
  // Each volume is listed by one plugin socket: its alias, else the main one.
  assert.equal(listedBy('pxd', 'cairn', ['pxd']), 'pxd');
  assert.equal(listedBy('cairn', 'cairn', ['pxd']), 'cairn');
  assert.equal(listedBy('local', 'cairn', ['pxd']), 'cairn');
  assert.equal(listedBy('pxd', 'cairn', []), 'cairn');
});

test('names and times as Docker writes them', () => {
  assert.equal(anonymousName(new Uint8Array(32).fill(171)), 'ab'.repeat(32));
  assert.equal(dockerTime('2024-01-02T03:04:05.678Z'), '2024-01-02T03:04:05Z');
});

test('errors: Docker statuses and words', () => {
  assert.deepEqual(engineError('VOLUME_NOT_FOUND', 404, 'volume x does not exist', { id: 'x' }), {
    status: 404,
    message: 'get x: no such volume',
  });
  assert.deepEqual(
    engineError('VALIDATION_FAILED', 400, 'the request is not valid: repl: …', {
      summary: 'repl: repl 3 needs 3 nodes; this cluster has 1',
    }),
    { status: 400, message: 'repl: repl 3 needs 3 nodes; this cluster has 1' },
  );
  assert.equal(engineError('VOLUME_IN_USE', 409, 'm', { id: 'v' }).message, 'remove v: volume is in use - m');
  assert.equal(engineError('POOL_PROFILE_INVALID', 422, 'm', {}).status, 400);
  assert.equal(engineError('INTERNAL', 500, 'm', {}).status, 500);
  assert.equal(engineError('SOMETHING_NOT_FOUND', 404, 'm', {}).status, 404);
});
