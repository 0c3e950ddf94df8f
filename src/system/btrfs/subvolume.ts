// The btrfs adapter's subvolume part: subvolumes, snapshots, qgroups, properties, lun data files
// and the renames of a rollback swap. Runs programs through exec only; never writes the database
// or locks.
import { mkdir, rename, stat, lstat } from 'node:fs/promises';
import type { Exec, ExecRequest, ExecResult } from '../exec.js';
import type { JobLog } from '../../domain/job-log.js';
import { nullLog } from '../../domain/job-log.js';
import { CairnError } from '../../domain/errors.js';
import * as a from './argv.js';
import {
  parseQgroupShow,
  parseRootId,
  parseSubvolumeList,
  type QgroupRow,
  type SubvolumeRow,
} from './parse-subvolume.js';
import { btrfsError, conditionOf, type BtrfsCondition } from './errors.js';

export type { QgroupRow, SubvolumeRow };

const SHORT = 60_000;
const LONG = 600_000;

export interface Opts {
  log?: JobLog;
}

export class Subvolumes {
  constructor(private readonly exec: Exec) {}

  private async call(
    what: string,
    argv: readonly [string, ...string[]],
    o: Opts & { timeoutMs?: number; ok?: BtrfsCondition[] } = {},
  ): Promise<ExecResult & { condition: BtrfsCondition | null }> {
    const req: ExecRequest = { argv, timeoutMs: o.timeoutMs ?? SHORT, log: o.log ?? nullLog };
    const r = await this.exec(req);
    if (r.exitCode === 0) return { ...r, condition: null };
    const c = conditionOf(r, 'subvolume');
    if (o.ok?.includes(c)) return { ...r, condition: c };
    throw btrfsError({ family: 'subvolume', operation: what, argv }, r);
  }

  /** Whether `path` exists (a subvolume, directory or file). */
  async exists(path: string): Promise<boolean> {
    return lstat(path).then(
      () => true,
      () => false,
    );
  }

  /** Whether `path` is the root of a subvolume (inode 256 on btrfs). */
  async isSubvolume(path: string): Promise<boolean> {
    const s = await stat(path).catch(() => null);
    return s !== null && s.isDirectory() && s.ino === 256;
  }

  async ensureDir(path: string): Promise<void> {
    await mkdir(path, { recursive: true, mode: 0o755 });
  }

  async quotaEnable(mount: string, o: Opts = {}): Promise<void> {
    await this.call('enable quotas', [...a.quotaEnableArgv(mount)], o);
  }

  /** Creates a subvolume unless one is already there (idempotent). */
  async create(path: string, o: Opts = {}): Promise<void> {
    if (await this.isSubvolume(path)) return;
    await this.call('create subvolume', [...a.subvolumeCreateArgv(path)], o);
  }

  /**
   * Snapshots `src` to `dst` unless `dst` already is a subvolume (idempotent). Refuses a `dst`
   * that exists as anything else, because btrfs would then put the snapshot inside it. `fresh`:
   * the caller knows nothing can be at `dst` (a new id on a step's first run), so it is not looked
   * at (an fs call is a thread-pool round trip, which shows in the latency of every snapshot).
   */
  async snapshot(src: string, dst: string, o: Opts & { readOnly: boolean; fresh?: boolean }): Promise<void> {
    // One lstat answers both questions. A snapshot root is a directory with inode 256.
    const s = o.fresh ? null : await lstat(dst).catch(() => null);
    if (s?.isDirectory() && s.ino === 256) return;
    if (s)
      throw btrfsError(
        { family: 'subvolume', operation: 'snapshot', argv: a.snapshotArgv(src, dst, o.readOnly) },
        { exitCode: 1, stdout: '', stderr: `target path already exists: ${dst}` },
      );
    await this.call('snapshot', [...a.snapshotArgv(src, dst, o.readOnly)], o);
  }

  /** Deletes the subvolumes that exist among `paths` (idempotent); returns how many were deleted. */
  async deleteIfExists(paths: readonly string[], o: Opts = {}): Promise<number> {
    const present: string[] = [];
    for (const p of paths) if (await this.isSubvolume(p)) present.push(p);
    for (let i = 0; i < present.length; i += 100) {
      const chunk = present.slice(i, i + 100);
      await this.call('delete subvolume', [...a.subvolumeDeleteArgv(chunk)], { ...o, timeoutMs: LONG });
    }
    return present.length;
  }

  /** Waits until deleted subvolumes are dropped by the cleaner (then their qgroups can go). */
  async sync(mount: string, ids: readonly number[] = [], o: Opts = {}): Promise<void> {
    await this.call('wait for deleted subvolumes', [...a.subvolumeSyncArgv(mount, ids)], {
      ...o,
      timeoutMs: LONG,
      ok: ['not_found'],
    });
  }

  async rootId(path: string, o: Opts = {}): Promise<number> {
    return parseRootId((await this.call('subvolume id', [...a.rootIdArgv(path)], o)).stdout);
  }

  async list(mount: string, o: Opts = {}): Promise<SubvolumeRow[]> {
    const r = await this.call('list subvolumes', [...a.subvolumeListArgv(mount)], o);
    return parseSubvolumeList(r.stdout);
  }

  async qgroups(mount: string, o: Opts = {}): Promise<QgroupRow[]> {
    const r = await this.call('show qgroups', [...a.qgroupShowArgv(mount)], o);
    return parseQgroupShow(r.stdout);
  }

  /** The level-0 qgroup of the subvolume at `path`. */
  async qgroupOf(path: string, o: Opts = {}): Promise<QgroupRow | undefined> {
    const r = await this.call('show qgroup', [...a.qgroupShowPathArgv(path)], o);
    return parseQgroupShow(r.stdout).find((q) => q.subvolumeId !== null);
  }

  /** Sets the referenced-bytes limit of a subvolume (null clears it). */
  async limit(path: string, bytes: number | null, o: Opts = {}): Promise<void> {
    await this.call('set qgroup limit', [...a.qgroupLimitArgv(path, bytes)], o);
  }

  async limitById(mount: string, qgroupId: string, bytes: number | null, o: Opts = {}): Promise<boolean> {
    const r = await this.call('set qgroup limit', [...a.qgroupLimitIdArgv(qgroupId, mount, bytes)], {
      ...o,
      ok: ['not_found'],
    });
    return r.condition === null;
  }

  /** Destroys a qgroup; 'gone' when it no longer exists, 'busy' while its subvolume is still being dropped. */
  async destroyQgroup(mount: string, qgroupId: string, o: Opts = {}): Promise<'destroyed' | 'gone' | 'busy'> {
    const r = await this.call('destroy qgroup', [...a.qgroupDestroyArgv(qgroupId, mount)], {
      ...o,
      ok: ['not_found', 'busy'],
    });
    return r.condition === null ? 'destroyed' : r.condition === 'busy' ? 'busy' : 'gone';
  }

  /** Removes qgroups of deleted subvolumes; some may stay busy until the cleaner has run. */
  async clearStale(mount: string, o: Opts = {}): Promise<boolean> {
    const r = await this.call('clear stale qgroups', [...a.qgroupClearStaleArgv(mount)], {
      ...o,
      ok: ['busy', 'not_found'],
    });
    return r.condition === null;
  }

  async setReadOnly(path: string, ro: boolean, o: Opts = {}): Promise<void> {
    await this.call('set read-only', [...a.setReadOnlyArgv(path, ro)], o);
  }

  /** btrfs compression property: '' (inherit the pool's), 'none', 'zstd', 'zstd:N', 'lzo', 'zlib'. */
  async setCompression(path: string, value: string, o: Opts = {}): Promise<void> {
    await this.call('set compression', [...a.setCompressionArgv(path, value)], o);
  }

  /** chattr +C: no copy-on-write for files created (or empty files) from now on. */
  async noCow(path: string, o: Opts = {}): Promise<void> {
    await this.call('disable copy-on-write', [...a.noCowArgv(path)], o);
  }

  /** Sizes a lun data file: sparse (thin) or preallocated (thick), creating it if missing. */
  async sizeFile(file: string, bytes: number, o: Opts & { thin: boolean; grow?: boolean }): Promise<void> {
    if (!(await this.exists(file))) await this.call('create file', ['truncate', '-s', '0', file], o);
    await this.call('size file', [...a.truncateArgv(file, bytes)], o);
    if (!o.thin)
      await this.call('preallocate file', [...a.fallocateArgv(file, bytes)], { ...o, timeoutMs: LONG });
  }

  /**
   * Where a file-backed lun's file is: `rel` (checked by FILE_LUN_PATH_RE: no `..`, no leading `/`)
   * under `root`, with every directory on the way made if missing. Refuses a symlink anywhere on
   * the path, and anything but a regular file at its end, so the file cannot escape the volume.
   * Answers the absolute path and whether the file was there.
   */
  async fileInside(root: string, rel: string): Promise<{ path: string; existed: boolean }> {
    const parts = rel.split('/');
    let at = root;
    for (const [i, part] of parts.entries()) {
      at = `${at}/${part}`;
      const s = await lstat(at).catch(() => null);
      const last = i === parts.length - 1;
      if (!s) {
        if (last) return { path: at, existed: false };
        await mkdir(at, { mode: 0o755 });
        continue;
      }
      if (s.isSymbolicLink() || (last ? !s.isFile() : !s.isDirectory()))
        throw new CairnError('VALIDATION_FAILED', {
          summary: `parent_path: ${parts.slice(0, i + 1).join('/')} is ${s.isSymbolicLink() ? 'a symbolic link' : last ? 'not a regular file' : 'not a directory'}`,
        });
    }
    return { path: at, existed: true };
  }

  async fileSize(file: string): Promise<number> {
    return (await stat(file)).size;
  }

  /** rename(2): atomic within one filesystem; used for the rollback swap. */
  async rename(from: string, to: string, o: Opts = {}): Promise<void> {
    (o.log ?? nullLog).write('info', `rename ${from} -> ${to}`);
    await rename(from, to);
  }
}
