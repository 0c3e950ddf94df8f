// The NFS adapter: the per-export mount of a subvolume (ganesha cannot export a subvolume by its
// path under the pool mount, so each export mounts it on its own) and the config file write.
import { mkdir, readFile, rename, rmdir, writeFile } from 'node:fs/promises';
import { run, type Exec } from '../exec.js';
import type { JobLog } from '../../domain/job-log.js';
import { CairnError } from '../../domain/errors.js';

export * from './config.js';

/** ganesha logs this when a SIGHUP's export list reload is done (nfs-ganesha 3.x–5.x). */
const RELOAD_DONE = 'Reread exports complete';

export class Ganesha {
  constructor(private readonly exec: Exec) {}

  /** How many export reloads ganesha has finished, by its log (0 when there is no log yet). */
  async reloadsDone(logFile: string): Promise<number> {
    const text = await readFile(logFile, 'utf8').catch(() => '');
    let n = 0;
    for (let i = text.indexOf(RELOAD_DONE); i >= 0; i = text.indexOf(RELOAD_DONE, i + 1)) n += 1;
    return n;
  }

  /**
   * Waits until ganesha logs a reload beyond `before` (the count taken before the SIGHUP), so an
   * export job answers only once the new export list is served. False after `timeoutMs`.
   */
  async waitReloaded(logFile: string, before: number, timeoutMs = 15_000): Promise<boolean> {
    const end = Date.now() + timeoutMs;
    while (Date.now() < end) {
      if ((await this.reloadsDone(logFile)) > before) return true;
      await new Promise((r) => setTimeout(r, 50));
    }
    return false;
  }

  /** The btrfs subvolume id of a path (for `mount -o subvolid=`). */
  async subvolumeId(path: string, log?: JobLog): Promise<number> {
    const r = await run(this.exec, {
      argv: ['btrfs', 'inspect-internal', 'rootid', path],
      timeoutMs: 30_000,
      log,
    });
    const id = Number(r.stdout.trim());
    if (!Number.isInteger(id) || id < 5)
      throw new CairnError('COMMAND_FAILED', { program: 'btrfs', reason: `no subvolume id for ${path}` });
    return id;
  }

  async isMounted(mountPoint: string): Promise<boolean> {
    const r = await this.exec({ argv: ['findmnt', '-rn', '-M', mountPoint], timeoutMs: 10_000 });
    return r.exitCode === 0 && r.stdout.trim().length > 0;
  }

  /** Mounts subvolume `subvolId` of the filesystem on `devices` at `mountPoint` (idempotent). */
  async mountSubvolume(devices: string[], subvolId: number, mountPoint: string, log?: JobLog): Promise<void> {
    if (await this.isMounted(mountPoint)) return;
    await mkdir(mountPoint, { recursive: true, mode: 0o755 });
    const opts = [`subvolid=${subvolId}`, ...devices.map((d) => `device=${d}`)].join(',');
    await run(this.exec, {
      argv: ['mount', '-t', 'btrfs', '-o', opts, devices[0]!, mountPoint],
      timeoutMs: 60_000,
      log,
    });
  }

  /** Unmounts (idempotent) and removes the empty mount point. */
  async unmount(mountPoint: string, log?: JobLog): Promise<void> {
    // ganesha lets go of a removed export shortly after its reload: retry, then detach lazily.
    for (let i = 0; (await this.isMounted(mountPoint)) && i < 20; i++) {
      const r = await this.exec({ argv: ['umount', mountPoint], timeoutMs: 60_000, log });
      if (r.exitCode !== 0) await new Promise((res) => setTimeout(res, 250));
    }
    if (await this.isMounted(mountPoint))
      await run(this.exec, { argv: ['umount', '-l', mountPoint], timeoutMs: 60_000, log });
    await rmdir(mountPoint).catch(() => undefined);
  }

  /** Writes the configuration atomically. */
  async writeConfig(path: string, text: string): Promise<void> {
    await writeFile(`${path}.tmp`, text, { mode: 0o600 });
    await rename(`${path}.tmp`, path);
  }
}
