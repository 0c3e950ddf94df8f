// Parsers of /proc and /sys/block on output captured on the project's machine (kernel 6.18), and
// of the storage parts' --version output.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  cpuBusy,
  parseBlockStat,
  parseLoadavg,
  parseMeminfo,
  parseNetDev,
  parseProcStat,
} from '../../../../src/system/procfs/parse.js';
import { parseVersion } from '../../../../src/system/versions/parse.js';
import { REPO } from '../../../support/cairn.js';

const fx = (dir: string, f: string) => readFileSync(join(REPO, 'test/fixtures', dir, f), 'utf8');

test('/proc/stat: aggregate cpu times and cpu count', () => {
  const s = parseProcStat(fx('procfs', 'linux-6.18-proc-stat.txt'));
  assert.equal(s.cpus, 2);
  assert.deepEqual(s.cpu, {
    user: 45049,
    nice: 0,
    system: 14843,
    idle: 266642,
    iowait: 811,
    irq: 0,
    softirq: 733,
    steal: 0,
  });
});

test('cpuBusy: busy fraction between two readings', () => {
  const a = { user: 100, nice: 0, system: 0, idle: 100, iowait: 0, irq: 0, softirq: 0, steal: 0 };
  const b = { ...a, user: 130, idle: 170 };
  assert.ok(Math.abs(cpuBusy(a, b) - 0.3) < 1e-9);
  assert.equal(cpuBusy(a, a), 0);
});

test('/proc/meminfo: kB lines in bytes', () => {
  const m = parseMeminfo(fx('procfs', 'linux-6.18-proc-meminfo.txt'));
  assert.ok(m.MemTotal! > 20 * 1024 ** 3, String(m.MemTotal));
  assert.equal(m.MemTotal! % 1024, 0);
  assert.ok(m.MemAvailable! > 0 && m.MemAvailable! <= m.MemTotal!);
  assert.ok('SwapTotal' in m);
});

test('/proc/loadavg', () => {
  const l = parseLoadavg(fx('procfs', 'linux-6.18-proc-loadavg.txt'));
  for (const v of [l.load1, l.load5, l.load15]) assert.ok(Number.isFinite(v) && v >= 0);
  assert.throws(() => parseLoadavg('garbage'));
});

test('/proc/net/dev: counters per interface', () => {
  const n = parseNetDev(fx('procfs', 'linux-6.18-proc-net-dev.txt'));
  assert.deepEqual([...n.keys()].sort(), ['eth0', 'ifb0', 'ifb1', 'lo']);
  assert.equal(n.get('lo')!.rxBytes, 899696);
  assert.equal(n.get('lo')!.txBytes, 899696);
  assert.equal(n.get('eth0')!.rxBytes, 139680217);
  assert.equal(n.get('eth0')!.txPackets, 5181);
});

test('/sys/block/*/stat: sectors become bytes', () => {
  const b = parseBlockStat(fx('procfs', 'linux-6.18-sys-block-stat.txt'));
  assert.deepEqual(b, {
    reads: 64133,
    readBytes: 5361402 * 512,
    readMs: 16074,
    writes: 18992,
    writeBytes: 3789904 * 512,
    writeMs: 11269,
    inFlight: 0,
    ioMs: 13428,
  });
  assert.throws(() => parseBlockStat('1 2 3'));
});

test('--version of every storage part', () => {
  const cases: [string, string, string][] = [
    ['btrfs-progs', 'btrfs-progs-6.2-version.txt', '6.2'],
    ['tgt', 'tgt-1.0.85-version.txt', '1.0.85'],
    ['nfs-ganesha', 'nfs-ganesha-4.3-version.txt', '4.3'],
    ['samba', 'samba-4.17.12-version.txt', '4.17.12-Debian'],
    ['nbdkit', 'nbdkit-1.32.5-version.txt', '1.32.5'],
  ];
  for (const [part, file, v] of cases) assert.equal(parseVersion(part, fx('versions', file)), v, part);
  assert.equal(parseVersion('nbdkit', 'nonsense'), null);
});
