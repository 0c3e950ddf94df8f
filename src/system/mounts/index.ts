// Mounts of attached volumes: bind mounts of subvolumes, block devices with their filesystem,
// mount points made only under a given root without following symlinks, and what
// /proc/self/mountinfo says is mounted where. Decides nothing: the attachment service does.
import { lstat, mkdir, readFile, realpath, rmdir } from 'node:fs/promises';
import { join } from 'node:path';
import { run, type Exec } from '../exec.js';
import type { JobLog } from '../../domain/job-log.js';
import type { LunFilesystem } from '../../domain/attachments.js';
import { CairnError } from '../../domain/errors.js';
import { parseMountinfo, type MountEntry } from '../btrfs/parse.js';
import * as A from './argv.js';

const T = 120_000;

export class Mounts {
  constructor(
    private readonly exec: Exec,
    private readonly mountinfo = '/proc/self/mountinfo',
  ) {}

  async entries(): Promise<MountEntry[]> {
    return parseMountinfo(await readFile(this.mountinfo, 'utf8'));
  }
  /** How many mounts are stacked at exactly `path` (0: nothing is mounted there). */
  async countAt(path: string): Promise<number> {
    return (await this.entries()).filter((e) => e.mountPoint === path).length;
  }

  /**
   * Makes `root`/`segments` a directory (creating what is missing, mode 0755) and returns its real
   * path. Refuses a symlink or a non-directory anywhere below the root, so the path cannot lead
   * out of it; the root itself is resolved once (it may be a symlink the administrator made).
   */
  async ensureDirUnder(root: string, segments: readonly string[], requested: string): Promise<string> {
    await mkdir(root, { recursive: true, mode: 0o755 });
    const realRoot = await realpath(root);
    let cur = realRoot;
    for (const s of segments) {
      cur = join(cur, s);
      const st = await lstat(cur).catch((e: NodeJS.ErrnoException) => {
        if (e.code === 'ENOENT') return null;
        throw e;
      });
      if (st === null)
        await mkdir(cur, { mode: 0o755 }).catch((e: NodeJS.ErrnoException) => {
          if (e.code !== 'EEXIST') throw e;
        });
      const now = await lstat(cur);
      if (now.isSymbolicLink())
        throw new CairnError('MOUNT_PATH_NOT_ALLOWED', {
          path: requested,
          reason: `goes through a symlink (${cur})`,
        });
      if (!now.isDirectory())
        throw new CairnError('MOUNT_PATH_NOT_ALLOWED', {
          path: requested,
          reason: `has a non-directory at ${cur}`,
        });
    }
    if ((await realpath(cur)) !== cur)
      throw new CairnError('MOUNT_PATH_NOT_ALLOWED', {
        path: requested,
        reason: 'does not resolve to itself',
      });
    return cur;
  }
  /** Removes an empty mount point Cairn made (never a non-empty one). */
  async removeDir(path: string): Promise<void> {
    await rmdir(path).catch(() => undefined);
  }

  async bind(source: string, target: string, readOnly: boolean, log?: JobLog): Promise<void> {
    await run(this.exec, { argv: A.bindArgv(source, target, readOnly), timeoutMs: T, log });
  }
  async mountDevice(
    device: string,
    target: string,
    fs: LunFilesystem,
    readOnly: boolean,
    log?: JobLog,
  ): Promise<void> {
    await run(this.exec, { argv: A.mountDeviceArgv(device, target, fs, readOnly), timeoutMs: T, log });
  }
  /** Unmounts the top mount at `target` (never lazily: a busy mount stays, and the caller is told). */
  async umount(target: string, log?: JobLog): Promise<void> {
    await run(this.exec, { argv: A.umountArgv(target), timeoutMs: T, log });
  }

  /** The filesystem signature on a device ('' when it holds none). */
  async filesystemOn(device: string, log?: JobLog): Promise<string> {
    const r = await run(this.exec, { argv: A.blkidTypeArgv(device), timeoutMs: T, log }, [0, 2]);
    return r.exitCode === 0 ? r.stdout.trim() : '';
  }
  async mkfs(device: string, fs: LunFilesystem, log?: JobLog): Promise<void> {
    await run(this.exec, { argv: A.mkfsArgv(device, fs), timeoutMs: 30 * 60_000, log });
  }
}
