// The sampler: once per interval it reads the node and block devices (/proc, /sys) and asks the
// other areas' sources for pools, volumes and exports, keeps the latest figures in memory (for
// /metrics and live reads) and writes the round to the store in one transaction.
// It decides nothing about alerts: it hands the round to whoever listens.
import type { Logger } from 'pino';
import { cpuBusy, type BlockCounters, type CpuTimes, type ProcFs } from '../system/procfs/index.js';
import type { StatsStore } from '../store/stats.js';
import type {
  DiskRow,
  ExportRow,
  MonitorSources,
  PoolRow,
  StatKind,
  StatPoint,
  VolumeRow,
} from '../domain/monitor.js';

/** The latest figures of one object; metric names carry their unit (`_bytes`, `_total`, `_ratio`). */
export interface LatestObject {
  kind: StatKind;
  id: string;
  name: string;
  labels: Record<string, string>;
  ts: number;
  metrics: Record<string, number>;
}

export interface Round {
  ts: number;
  points: number;
  pools: PoolRow[] | null;
  volumes: VolumeRow[] | null;
  exports: ExportRow[] | null;
  /** Which sources answered this round (their rules may be evaluated and auto-cleared). */
  answered: Set<keyof MonitorSources>;
}

const USER_HZ = 100;

export class Sampler {
  readonly latest = new Map<string, LatestObject>();
  rounds = 0;
  lastRoundMs = 0;
  private prevCpu: { ts: number; cpu: CpuTimes } | null = null;
  private prevNet: { ts: number; rx: number; tx: number } | null = null;
  private readonly prevBlock = new Map<string, { ts: number; c: BlockCounters }>();
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<Round | null> | null = null;
  private chain: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly deps: {
      procfs: ProcFs;
      stats: StatsStore;
      sources: () => MonitorSources;
      nodeId: string;
      nodeName: () => string;
      now: () => number;
      logger: Logger;
      /** Called after every stored round (alert evaluation, rollups). */
      onRound?: (r: Round) => Promise<void>;
    },
  ) {}

  /** Starts sampling every `intervalMs` (the first round right away). */
  start(intervalMs: number): void {
    if (this.timer) return;
    const tick = () => {
      if (this.running) return; // a slow round is not queued behind
      void this.sample({ fresh: false }).catch((e: unknown) =>
        this.deps.logger.warn({ err: e }, 'sampling round failed'),
      );
    };
    this.timer = setInterval(tick, intervalMs);
    this.timer.unref();
    tick();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running?.catch(() => undefined);
  }

  /**
   * Runs one round now (after the one in progress, if any: rounds never overlap). A round asked for
   * (the default) measures everything; the timer's rounds let sources reuse slow figures.
   */
  async sample(o: { fresh?: boolean } = {}): Promise<Round | null> {
    const fresh = o.fresh ?? true;
    const r = this.chain.then(() => this.round(fresh));
    this.chain = r.catch(() => null);
    this.running = r;
    void r
      .finally(() => {
        if (this.running === r) this.running = null;
      })
      .catch(() => undefined);
    return r;
  }

  private set(
    kind: StatKind,
    id: string,
    name: string,
    labels: Record<string, string>,
    ts: number,
    m: Record<string, number>,
    out: StatPoint[],
  ) {
    const metrics: Record<string, number> = {};
    for (const [metric, value] of Object.entries(m)) {
      if (!Number.isFinite(value)) continue;
      metrics[metric] = value;
      out.push({ kind, objectId: id, metric, ts, value });
    }
    this.latest.set(`${kind}/${id}`, { kind, id, name, labels, ts, metrics });
  }

  private async round(fresh: boolean): Promise<Round> {
    const started = process.hrtime.bigint();
    const ts = this.deps.now();
    const points: StatPoint[] = [];
    const sources = this.deps.sources();
    const answered = new Set<keyof MonitorSources>();
    const seen = new Set<string>();
    const mark = (kind: StatKind, id: string) => seen.add(`${kind}/${id}`);

    await this.sampleNode(ts, points);
    mark('node', this.deps.nodeId);

    const disks = await this.ask(sources, 'disks', () => sources.disks!.disks(), answered);
    const diskRows: DiskRow[] =
      disks ??
      (await this.deps.procfs.blockDevices()).map((d) => ({ id: d, name: d, device: d, poolId: null }));
    for (const d of diskRows) if (await this.sampleDisk(d, ts, points)) mark('disk', d.id);

    const pools = await this.ask(sources, 'pools', () => sources.pools!.pools({ fresh }), answered);
    for (const p of pools ?? []) {
      mark('pool', p.id);
      const errors = (p.deviceErrors ?? []).reduce((s, d) => s + d.errors, 0);
      this.set(
        'pool',
        p.id,
        p.name,
        { health: p.health },
        ts,
        {
          size_bytes: p.sizeBytes,
          used_bytes: p.usedBytes,
          free_bytes: p.freeBytes,
          used_ratio: p.sizeBytes > 0 ? p.usedBytes / p.sizeBytes : 0,
          device_errors: errors,
          healthy: p.health === 'online' ? 1 : 0,
        },
        points,
      );
    }

    const volumes = await this.ask(sources, 'volumes', () => sources.volumes!.volumes(), answered);
    for (const v of volumes ?? []) {
      mark('volume', v.id);
      this.set(
        'volume',
        v.id,
        v.name,
        { pool_id: v.poolId },
        ts,
        {
          size_bytes: v.sizeBytes,
          used_bytes: v.usedBytes,
          exclusive_bytes: v.exclusiveBytes,
          snapshot_bytes: v.snapshotBytes,
          ...(v.snapshotCount === undefined ? {} : { snapshots: v.snapshotCount }),
          // An attached lun's I/O, from its loop device (keyed by device: a new one starts afresh).
          ...((v.device && (await this.blockMetrics(`volume:${v.id}:${v.device}`, v.device, ts))) || {}),
        },
        points,
      );
    }

    // Counters of loop devices no longer attached are dropped with them.
    const attached = new Set((volumes ?? []).map((v) => `volume:${v.id}:${v.device}`));
    for (const key of this.prevBlock.keys())
      if (key.startsWith('volume:') && !attached.has(key)) this.prevBlock.delete(key);

    const exports = await this.ask(sources, 'exports', () => sources.exports!.exports(), answered);
    for (const e of exports ?? []) {
      mark('export', e.id);
      this.set('export', e.id, e.name, { pool_id: e.poolId ?? '' }, ts, e.metrics, points);
    }

    // Objects that went away are no longer reported (their history stays in the store).
    for (const key of [...this.latest.keys()]) if (!seen.has(key)) this.latest.delete(key);

    await this.deps.stats.insert(points);
    this.rounds++;
    this.lastRoundMs = Number(process.hrtime.bigint() - started) / 1e6;
    const round: Round = { ts, points: points.length, pools, volumes, exports, answered };
    await this.deps.onRound?.(round);
    return round;
  }

  /** Calls a source; a source that is missing or fails answers null (its rules are not evaluated). */
  private async ask<T>(
    sources: MonitorSources,
    key: keyof MonitorSources,
    f: () => Promise<T>,
    answered: Set<keyof MonitorSources>,
  ): Promise<T | null> {
    if (!sources[key]) return null;
    try {
      const r = await f();
      answered.add(key);
      return r;
    } catch (e) {
      this.deps.logger.warn({ err: e, source: key }, 'monitor source failed');
      return null;
    }
  }

  private async sampleNode(ts: number, out: StatPoint[]): Promise<void> {
    const n = await this.deps.procfs.node();
    let rx = 0;
    let tx = 0;
    for (const [dev, c] of n.net)
      if (dev !== 'lo') {
        rx += c.rxBytes;
        tx += c.txBytes;
      }
    const m: Record<string, number> = {
      cpus: n.cpus,
      memory_total_bytes: n.memTotalBytes,
      memory_available_bytes: n.memAvailableBytes,
      memory_used_bytes: n.memTotalBytes - n.memAvailableBytes,
      swap_used_bytes: n.swapTotalBytes - n.swapFreeBytes,
      load1: n.load.load1,
      load5: n.load.load5,
      load15: n.load.load15,
      cpu_seconds_total:
        (n.cpu.user + n.cpu.nice + n.cpu.system + n.cpu.irq + n.cpu.softirq + n.cpu.steal) / USER_HZ,
      network_receive_bytes_total: rx,
      network_transmit_bytes_total: tx,
    };
    if (this.prevCpu) m.cpu_busy_ratio = cpuBusy(this.prevCpu.cpu, n.cpu);
    if (this.prevNet && ts > this.prevNet.ts) {
      const dt = (ts - this.prevNet.ts) / 1000;
      m.network_receive_bytes_per_second = Math.max(0, (rx - this.prevNet.rx) / dt);
      m.network_transmit_bytes_per_second = Math.max(0, (tx - this.prevNet.tx) / dt);
    }
    this.prevCpu = { ts, cpu: n.cpu };
    this.prevNet = { ts, rx, tx };
    this.set('node', this.deps.nodeId, this.deps.nodeName(), {}, ts, m, out);
  }

  private async sampleDisk(d: DiskRow, ts: number, out: StatPoint[]): Promise<boolean> {
    const m = await this.blockMetrics(d.id, d.device, ts);
    if (!m) return false;
    this.set('disk', d.id, d.name, { device: d.device, pool_id: d.poolId ?? '' }, ts, m, out);
    return true;
  }

  /** Counters and rates of a block device (a disk, an attached lun's loop device); null when it is gone. */
  private async blockMetrics(
    key: string,
    device: string,
    ts: number,
  ): Promise<Record<string, number> | null> {
    const c = await this.deps.procfs.block(device.replace(/^\/dev\//, ''));
    if (!c) return null;
    const m: Record<string, number> = {
      reads_total: c.reads,
      writes_total: c.writes,
      read_bytes_total: c.readBytes,
      written_bytes_total: c.writeBytes,
      io_time_seconds_total: c.ioMs / 1000,
      in_flight: c.inFlight,
    };
    const prev = this.prevBlock.get(key);
    if (prev && ts > prev.ts) {
      const dt = (ts - prev.ts) / 1000;
      const rate = (a: number, b: number) => Math.max(0, (a - b) / dt);
      m.reads_per_second = rate(c.reads, prev.c.reads);
      m.writes_per_second = rate(c.writes, prev.c.writes);
      m.read_bytes_per_second = rate(c.readBytes, prev.c.readBytes);
      m.written_bytes_per_second = rate(c.writeBytes, prev.c.writeBytes);
      m.busy_ratio = Math.min(1, rate(c.ioMs, prev.c.ioMs) / 1000);
    }
    this.prevBlock.set(key, { ts, c });
    return m;
  }
}
