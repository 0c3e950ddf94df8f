// The btrfs adapter's filesystem part (pools): runs btrfs-progs, mount and wipefs through exec and
// parses their output. It never writes the database, takes locks or decides policy: those are job
// steps.
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Exec, ExecRequest, ExecResult } from '../exec.js';
import type { JobLog } from '../../domain/job-log.js';
import type { Profile } from '../../domain/storage.js';
import * as A from './argv.js';
import * as P from './parse.js';
import { btrfsError } from './errors.js';

export interface Opts {
  log?: JobLog;
  signal?: AbortSignal;
}

const MIN = 60_000;
const DAY = 24 * 60 * MIN;

export class Btrfs {
  constructor(private readonly exec: Exec) {}

  private async run(
    op: string,
    argv: A.Argv,
    timeoutMs: number,
    o: Opts = {},
    ok = [0],
  ): Promise<ExecResult> {
    const req: ExecRequest = { argv, timeoutMs, log: o.log, signal: o.signal };
    const r = await this.exec(req);
    if (!ok.includes(r.exitCode)) throw btrfsError({ family: 'filesystem', operation: op, argv }, r);
    return r;
  }

  /** Makes the filesystem; returns its UUID. */
  async mkfs(
    label: string,
    data: Profile,
    meta: Profile,
    devices: string[],
    o: Opts = {},
  ): Promise<string | null> {
    const r = await this.run('mkfs', A.mkfsArgv(label, data, meta, devices), 5 * MIN, o);
    return P.parseMkfsUuid(r.stdout);
  }
  /** Erases filesystem signatures (btrfs superblocks) so the disks look unused again. */
  async wipe(devices: string[], o: Opts = {}): Promise<void> {
    if (devices.length) await this.run('wipefs', A.wipefsArgv(devices), MIN, o);
  }
  /** Registers devices with the kernel (needed after loop devices were re-created). */
  async scan(devices: string[], o: Opts = {}): Promise<void> {
    if (devices.length) await this.run('scan', A.scanArgv(devices), MIN, o, [0, 1]);
  }
  async mount(device: string, target: string, options: string, o: Opts = {}): Promise<void> {
    await this.run('mount', A.mountArgv(device, target, options), 5 * MIN, o);
  }
  async remount(target: string, options: string, o: Opts = {}): Promise<void> {
    await this.run('remount', A.remountArgv(target, options), 5 * MIN, o);
  }
  async umount(target: string, o: Opts = {}): Promise<void> {
    await this.run('umount', A.umountArgv(target), 5 * MIN, o);
  }
  /** The mount at exactly `target`, if any (the top one when stacked): its source and options. */
  async mountedAt(target: string): Promise<{ source: string; options: string[] } | null> {
    const text = await readFile('/proc/self/mountinfo', 'utf8');
    const m = P.parseMountinfo(text)
      .filter((e) => e.mountPoint === target)
      .pop();
    return m ? { source: m.source, options: m.options } : null;
  }
  async quotaEnable(mnt: string, o: Opts = {}): Promise<void> {
    await this.run('quota', A.quotaEnableArgv(mnt), 10 * MIN, o);
  }
  async deviceAdd(devices: string[], mnt: string, o: Opts = {}): Promise<void> {
    await this.run('device add', A.deviceAddArgv(devices, mnt), 10 * MIN, o);
  }
  async deviceRemove(devs: (string | number)[], mnt: string, o: Opts = {}): Promise<void> {
    await this.run('device remove', A.deviceRemoveArgv(devs, mnt), DAY, o);
  }
  async balance(mnt: string, f: Parameters<typeof A.balanceStartArgv>[1], o: Opts = {}): Promise<void> {
    await this.run('balance', A.balanceStartArgv(mnt, f), DAY, o);
  }
  async balanceStatus(mnt: string): Promise<ReturnType<typeof P.parseBalanceStatus>> {
    const r = await this.exec({ argv: A.balanceStatusArgv(mnt), timeoutMs: MIN });
    return P.parseBalanceStatus(r.stdout + r.stderr);
  }
  async balanceCancel(mnt: string, o: Opts = {}): Promise<void> {
    await this.exec({ argv: A.balanceCancelArgv(mnt), timeoutMs: 10 * MIN, log: o.log });
  }
  async replace(
    source: string | number,
    target: string,
    mnt: string,
    avoidSource: boolean,
    o: Opts = {},
  ): Promise<void> {
    await this.run('replace', A.replaceStartArgv(source, target, mnt, avoidSource), DAY, o);
  }
  async replaceStatus(mnt: string): Promise<ReturnType<typeof P.parseReplaceStatus>> {
    const r = await this.exec({ argv: A.replaceStatusArgv(mnt), timeoutMs: MIN });
    return P.parseReplaceStatus(r.stdout + r.stderr);
  }
  async replaceCancel(mnt: string, o: Opts = {}): Promise<void> {
    await this.exec({ argv: A.replaceCancelArgv(mnt), timeoutMs: 10 * MIN, log: o.log });
  }
  async resizeMax(devid: number, mnt: string, o: Opts = {}): Promise<void> {
    await this.run('resize', A.resizeMaxArgv(devid, mnt), 10 * MIN, o);
  }
  /** Runs a scrub to the end; parses the raw counters (the exit code is 0 even with errors). */
  async scrub(mnt: string, o: Opts = {}): Promise<P.ScrubReport> {
    const r = await this.run('scrub', A.scrubStartArgv(mnt), DAY, o, [0, 3]);
    return P.parseScrubRaw(r.stdout);
  }
  async scrubStatus(mnt: string): Promise<P.ScrubReport> {
    const r = await this.exec({ argv: A.scrubStatusArgv(mnt), timeoutMs: MIN });
    return P.parseScrubRaw(r.stdout);
  }
  async scrubCancel(mnt: string, o: Opts = {}): Promise<boolean> {
    const r = await this.exec({ argv: A.scrubCancelArgv(mnt), timeoutMs: MIN, log: o.log });
    return r.exitCode === 0;
  }
  async usage(mnt: string): Promise<P.FsUsage> {
    return P.parseUsage((await this.run('usage', A.usageArgv(mnt), MIN)).stdout);
  }
  async df(mnt: string): Promise<P.DfEntry[]> {
    return P.parseDfJson((await this.run('df', A.dfArgv(mnt), MIN)).stdout);
  }
  async show(target: string): Promise<P.FsShow | null> {
    const r = await this.exec({ argv: A.showArgv(target), timeoutMs: MIN });
    return r.exitCode === 0 ? P.parseShow(r.stdout) : null;
  }
  /**
   * The devices of the mounted filesystem `uuid` with their missing flag and error counters, read
   * from sysfs: no program runs, so the pool watcher and the sampler can look every few seconds
   * without a btrfs process scanning devices under a busy pool. Null when the kernel does not show
   * the filesystem (not mounted, or a kernel without devinfo).
   */
  async sysDevices(uuid: string): Promise<P.SysDevice[] | null> {
    if (!/^[0-9a-f-]{36}$/.test(uuid)) return null;
    const dir = join('/sys/fs/btrfs', uuid, 'devinfo');
    const ids = await readdir(dir).catch(() => null);
    if (!ids) return null;
    const out: P.SysDevice[] = [];
    for (const id of ids.filter((x) => /^\d+$/.test(x)).sort((a, b) => Number(a) - Number(b))) {
      const [missing, errors] = await Promise.all([
        readFile(join(dir, id, 'missing'), 'utf8').catch(() => null),
        readFile(join(dir, id, 'error_stats'), 'utf8').catch(() => null),
      ]);
      if (missing === null || errors === null) return null;
      out.push(P.parseSysDevice(Number(id), missing, errors));
    }
    return out;
  }
  async deviceStats(mnt: string): Promise<P.DeviceStats[]> {
    return P.parseDeviceStatsJson(
      (await this.run('device stats', A.statsArgv(mnt), MIN, {}, [0, 64])).stdout,
    );
  }
  async resetDeviceStats(mnt: string, o: Opts = {}): Promise<void> {
    await this.run('device stats', A.statsResetArgv(mnt), MIN, o, [0, 64]);
  }
  /** Logical (uncompressed) bytes of the extents under `dir`; walks the tree, so not for hot paths. */
  async du(dir: string, timeoutMs = 5 * MIN): Promise<{ total: number; exclusive: number; shared: number }> {
    return P.parseFsDu((await this.run('du', A.duArgv(dir), timeoutMs)).stdout);
  }
  async sync(mnt: string, o: Opts = {}): Promise<void> {
    await this.run('sync', A.syncArgv(mnt), 10 * MIN, o);
  }
  /** How many subvolumes sit directly in `dir` (a subvolume root has inode 256). */
  async subvolumesIn(dir: string): Promise<number> {
    const names = await readdir(dir).catch(() => [] as string[]);
    let n = 0;
    for (const name of names) {
      const s = await stat(join(dir, name)).catch(() => null);
      if (s?.isDirectory() && s.ino === 256) n++;
    }
    return n;
  }
}
