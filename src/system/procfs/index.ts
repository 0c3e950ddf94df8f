// Reads node and block-device figures from /proc and /sys (file reads are I/O, so they live in
// system/). Never writes anything. The root is configurable so tests can point it at fixtures.
import { readFile, readdir, statfs } from 'node:fs/promises';
import { join } from 'node:path';
import {
  parseBlockStat,
  parseLoadavg,
  parseMeminfo,
  parseNetDev,
  parseProcNetTcp,
  parseProcStat,
  TCP_ESTABLISHED,
  type BlockCounters,
  type CpuTimes,
  type NetCounters,
} from './parse.js';

export interface NodeReading {
  cpu: CpuTimes;
  cpus: number;
  memTotalBytes: number;
  memAvailableBytes: number;
  swapTotalBytes: number;
  swapFreeBytes: number;
  load: { load1: number; load5: number; load15: number };
  net: Map<string, NetCounters>;
}

/** Block devices Cairn does not report unless asked for by name (loop, ram, zram are per-use). */
const SKIP = /^(loop|ram|zram|nbd|sr|fd)\d*/;

export class ProcFs {
  constructor(
    private readonly proc = '/proc',
    private readonly sys = '/sys',
  ) {}

  async node(): Promise<NodeReading> {
    const [stat, mem, load, net] = await Promise.all([
      readFile(join(this.proc, 'stat'), 'utf8'),
      readFile(join(this.proc, 'meminfo'), 'utf8'),
      readFile(join(this.proc, 'loadavg'), 'utf8'),
      readFile(join(this.proc, 'net/dev'), 'utf8'),
    ]);
    const s = parseProcStat(stat);
    const m = parseMeminfo(mem);
    return {
      cpu: s.cpu,
      cpus: s.cpus,
      memTotalBytes: m.MemTotal ?? 0,
      memAvailableBytes: m.MemAvailable ?? m.MemFree ?? 0,
      swapTotalBytes: m.SwapTotal ?? 0,
      swapFreeBytes: m.SwapFree ?? 0,
      load: parseLoadavg(load),
      net: parseNetDev(net),
    };
  }

  /** Names of the machine's block devices, without per-use ones (loop, ram, zram, nbd). */
  async blockDevices(): Promise<string[]> {
    const all = await readdir(join(this.sys, 'block')).catch(() => [] as string[]);
    return all.filter((d) => !SKIP.test(d)).sort();
  }

  /** Counters of one block device by kernel name (`vda`, `loop3`); null when it does not exist. */
  async block(name: string): Promise<BlockCounters | null> {
    if (!/^[A-Za-z0-9_.-]+$/.test(name)) return null;
    try {
      return parseBlockStat(await readFile(join(this.sys, 'block', name, 'stat'), 'utf8'));
    } catch {
      return null;
    }
  }

  /** Size and free space of the filesystem mounted at `path` (statfs), in bytes. */
  async filesystem(
    path: string,
  ): Promise<{ sizeBytes: number; freeBytes: number; availBytes: number } | null> {
    try {
      const s = await statfs(path);
      return { sizeBytes: s.blocks * s.bsize, freeBytes: s.bfree * s.bsize, availBytes: s.bavail * s.bsize };
    } catch {
      return null;
    }
  }

  /**
   * Established TCP connections served on `ports` (IPv4 and IPv6), by local port: how many and from
   * which distinct remote addresses. Daemons that report no clients themselves (nbdkit, one port
   * per export) are observed this way.
   */
  async tcpServed(ports: readonly number[]): Promise<Map<number, { connections: number; remotes: number }>> {
    const want = new Set(ports);
    const by = new Map<number, { connections: number; remotes: Set<string> }>();
    for (const f of ['net/tcp', 'net/tcp6']) {
      const text = await readFile(join(this.proc, f), 'utf8').catch(() => '');
      for (const s of parseProcNetTcp(text)) {
        if (s.state !== TCP_ESTABLISHED || !want.has(s.localPort)) continue;
        const e = by.get(s.localPort) ?? { connections: 0, remotes: new Set<string>() };
        e.connections++;
        e.remotes.add(s.remoteAddress);
        by.set(s.localPort, e);
      }
    }
    return new Map([...by].map(([p, e]) => [p, { connections: e.connections, remotes: e.remotes.size }]));
  }
}

export type { BlockCounters, CpuTimes, NetCounters } from './parse.js';
export { cpuBusy } from './parse.js';
