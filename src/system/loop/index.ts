// Loop devices over sparse files (virtual disks). losetup -f creates devices on demand; never a
// fixed number. Only devices backed by the files we are given are ever touched.
import { mkdir, open, readdir, readFile, rm, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { run, type Exec } from '../exec.js';
import type { JobLog } from '../../domain/job-log.js';
import { parseLoopList, type LoopInfo } from './parse.js';

export * from './parse.js';

const T = 60_000;

export class Loop {
  constructor(private readonly exec: Exec) {}

  /** Creates the sparse file if it does not exist yet (idempotent). */
  async createSparse(file: string, bytes: number): Promise<void> {
    await mkdir(dirname(file), { recursive: true, mode: 0o700 });
    const f = await open(file, 'a', 0o600);
    try {
      const s = await f.stat();
      if (s.size !== bytes) await f.truncate(bytes);
    } finally {
      await f.close();
    }
  }
  async removeFile(file: string): Promise<void> {
    await rm(file, { force: true });
  }
  async fileSize(file: string): Promise<number | null> {
    const s = await stat(file).catch(() => null);
    return s ? s.size : null;
  }

  /** Attached loop devices, read from /sys (no process per call); losetup when /sys is unreadable. */
  async list(): Promise<LoopInfo[]> {
    try {
      const out: LoopInfo[] = [];
      for (const name of await readdir('/sys/block')) {
        if (!/^loop\d+$/.test(name)) continue;
        const dir = `/sys/block/${name}/loop`;
        const back = await readFile(`${dir}/backing_file`, 'utf8').catch(() => null);
        if (back === null) continue; // not attached
        const auto = await readFile(`${dir}/autoclear`, 'utf8').catch(() => '0');
        out.push(...parseLoopList(`/dev/${name} ${auto.trim() === '1' ? 1 : 0} ${back.trim()}`));
      }
      return out;
    } catch {
      const r = await this.exec({
        argv: ['losetup', '-l', '-n', '--raw', '-O', 'NAME,AUTOCLEAR,BACK-FILE'],
        timeoutMs: T,
      });
      return parseLoopList(r.stdout);
    }
  }
  /** Loop devices attached to `file` (usable ones first: not pending detach, file not deleted). */
  async find(file: string): Promise<LoopInfo[]> {
    return (await this.list())
      .filter((l) => l.backingFile === file)
      .sort((a, b) => Number(a.autoclear) - Number(b.autoclear));
  }
  /** The device for `file`, attaching it when none is (idempotent). */
  async attach(file: string, log?: JobLog, o: { readOnly?: boolean } = {}): Promise<string> {
    const have = (await this.find(file)).find((l) => !l.autoclear && !l.deleted);
    if (have) return have.device;
    const argv = ['losetup', '--show', '-f', ...(o.readOnly ? ['-r'] : []), file] as const;
    const r = await run(this.exec, { argv, timeoutMs: T, log });
    return r.stdout.trim();
  }
  /** Detaches every loop device backed by `file` (and only those). */
  async detachFile(file: string, log?: JobLog): Promise<void> {
    for (const l of await this.find(file)) await this.detach(l.device, log);
  }
  async detach(device: string, log?: JobLog): Promise<void> {
    await this.exec({ argv: ['losetup', '-d', device], timeoutMs: T, log });
  }
}
