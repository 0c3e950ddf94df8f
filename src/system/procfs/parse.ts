// Pure parsers of what Linux exposes in /proc and /sys/block (unit-tested on captured output in
// test/fixtures/procfs/). No I/O here: index.ts reads the files.

/** CPU time per mode in clock ticks (USER_HZ), from the first `cpu` line of /proc/stat. */
export interface CpuTimes {
  user: number;
  nice: number;
  system: number;
  idle: number;
  iowait: number;
  irq: number;
  softirq: number;
  steal: number;
}

export function parseProcStat(text: string): { cpu: CpuTimes; cpus: number } {
  const lines = text.split('\n');
  const agg = lines.find((l) => /^cpu\s/.test(l));
  if (!agg) throw new Error('no cpu line in /proc/stat');
  const [user, nice, system, idle, iowait, irq, softirq, steal] = agg
    .trim()
    .split(/\s+/)
    .slice(1)
    .map(Number);
  const cpus = lines.filter((l) => /^cpu\d+\s/.test(l)).length;
  return {
    cpu: {
      user: user ?? 0,
      nice: nice ?? 0,
      system: system ?? 0,
      idle: idle ?? 0,
      iowait: iowait ?? 0,
      irq: irq ?? 0,
      softirq: softirq ?? 0,
      steal: steal ?? 0,
    },
    cpus,
  };
}

/** Busy fraction (0..1) of all CPUs between two readings. */
export function cpuBusy(a: CpuTimes, b: CpuTimes): number {
  const total = (t: CpuTimes) => t.user + t.nice + t.system + t.idle + t.iowait + t.irq + t.softirq + t.steal;
  const dt = total(b) - total(a);
  if (dt <= 0) return 0;
  const idle = b.idle + b.iowait - (a.idle + a.iowait);
  return Math.min(1, Math.max(0, 1 - idle / dt));
}

/** /proc/meminfo in bytes (the file says kB, meaning KiB). */
export function parseMeminfo(text: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const l of text.split('\n')) {
    const m = /^([A-Za-z0-9_()]+):\s+(\d+)(\s+kB)?/.exec(l);
    if (m) out[m[1]!] = Number(m[2]) * (m[3] ? 1024 : 1);
  }
  return out;
}

export function parseLoadavg(text: string): { load1: number; load5: number; load15: number } {
  const [a, b, c] = text.trim().split(/\s+/).map(Number);
  if (![a, b, c].every((x) => Number.isFinite(x))) throw new Error('unexpected /proc/loadavg');
  return { load1: a!, load5: b!, load15: c! };
}

export interface NetCounters {
  rxBytes: number;
  rxPackets: number;
  rxErrors: number;
  txBytes: number;
  txPackets: number;
  txErrors: number;
}

/** /proc/net/dev: cumulative counters per interface. */
export function parseNetDev(text: string): Map<string, NetCounters> {
  const out = new Map<string, NetCounters>();
  for (const l of text.split('\n').slice(2)) {
    const i = l.indexOf(':');
    if (i < 0) continue;
    const f = l
      .slice(i + 1)
      .trim()
      .split(/\s+/)
      .map(Number);
    if (f.length < 16) continue;
    out.set(l.slice(0, i).trim(), {
      rxBytes: f[0]!,
      rxPackets: f[1]!,
      rxErrors: f[2]!,
      txBytes: f[8]!,
      txPackets: f[9]!,
      txErrors: f[10]!,
    });
  }
  return out;
}

/** /sys/block/<dev>/stat, sectors converted to bytes (always 512-byte units there). */
export interface BlockCounters {
  reads: number;
  readBytes: number;
  readMs: number;
  writes: number;
  writeBytes: number;
  writeMs: number;
  inFlight: number;
  ioMs: number;
}

export function parseBlockStat(text: string): BlockCounters {
  const f = text.trim().split(/\s+/).map(Number);
  if (f.length < 11 || f.some((x) => !Number.isFinite(x))) throw new Error('unexpected block stat');
  return {
    reads: f[0]!,
    readBytes: f[2]! * 512,
    readMs: f[3]!,
    writes: f[4]!,
    writeBytes: f[6]! * 512,
    writeMs: f[7]!,
    inFlight: f[8]!,
    ioMs: f[9]!,
  };
}

/** One TCP socket of /proc/net/tcp or tcp6 (addresses as the kernel prints them, in hex). */
export interface TcpSocket {
  localPort: number;
  remoteAddress: string;
  remotePort: number;
  /** The kernel's state number: 1 ESTABLISHED, 6 TIME_WAIT, 10 LISTEN, … */
  state: number;
}

export const TCP_ESTABLISHED = 1;

/** Parses /proc/net/tcp or /proc/net/tcp6 (`sl local_address rem_address st …`, hex fields). */
export function parseProcNetTcp(text: string): TcpSocket[] {
  const out: TcpSocket[] = [];
  for (const line of text.split('\n').slice(1)) {
    const f = line.trim().split(/\s+/);
    if (f.length < 4) continue;
    const [, local, remote, st] = f;
    const l = /^[0-9A-F]+:([0-9A-F]{4})$/i.exec(local!);
    const r = /^([0-9A-F]+):([0-9A-F]{4})$/i.exec(remote!);
    if (!l || !r || !/^[0-9A-F]{2}$/i.test(st!)) continue;
    out.push({
      localPort: parseInt(l[1]!, 16),
      remoteAddress: r[1]!.toUpperCase(),
      remotePort: parseInt(r[2]!, 16),
      state: parseInt(st!, 16),
    });
  }
  return out;
}
