// Discovers block devices with lsblk. Read-only.
import { run, type Exec } from '../exec.js';
import { parseLsblk, type BlockDevice } from './parse.js';

export * from './parse.js';

export class Lsblk {
  constructor(private readonly exec: Exec) {}

  async list(): Promise<BlockDevice[]> {
    const r = await run(this.exec, {
      argv: [
        'lsblk',
        '--json',
        '-b',
        '-o',
        'NAME,PATH,SIZE,TYPE,MODEL,VENDOR,SERIAL,WWN,ROTA,FSTYPE,PTTYPE,MOUNTPOINT,MOUNTPOINTS,PKNAME,RO',
      ],
      timeoutMs: 60_000,
    });
    return parseLsblk(r.stdout);
  }
}
