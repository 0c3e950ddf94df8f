// Daemon PID records and what they point at: a supervisor writes one record per daemon it starts
// (PID, the kernel's start time of that PID, the program), so that a later cairnd on the same data
// directory can tell its predecessor's daemon from a process that merely got the recycled PID, and
// stop exactly that process. Reads /proc; signals by PID only (never a process group or a name).
import { readFile, rm, writeFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { parsePidRecord, parseStartTime, type PidRecord } from './parse.js';

export type { PidRecord } from './parse.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export class Processes {
  constructor(private readonly proc = '/proc') {}

  /** The kernel's start time of `pid` (clock ticks since boot); null when it is gone or a zombie. */
  async startTime(pid: number): Promise<number | null> {
    const stat = await readFile(`${this.proc}/${pid}/stat`, 'utf8').catch(() => '');
    return parseStartTime(stat);
  }

  /** Records a just-started daemon; the start time is what makes the record unambiguous. */
  async record(file: string, pid: number, program: string): Promise<void> {
    const start = await this.startTime(pid);
    const rec: PidRecord = { pid, start, program };
    await writeFile(file, `${JSON.stringify(rec)}\n`, { mode: 0o600 });
  }

  async read(file: string): Promise<PidRecord | null> {
    return parsePidRecord(await readFile(file, 'utf8').catch(() => ''));
  }

  async forget(file: string): Promise<void> {
    await rm(file, { force: true });
  }

  /**
   * Whether the process a record names is still that process: same PID, same start time and the
   * same program. A record without a start time (written by an older cairnd) is matched by the
   * program alone, as before. `program` overrides the recorded one for such old records.
   */
  async alive(rec: PidRecord, program = rec.program): Promise<boolean> {
    if (!program) return false;
    const start = await this.startTime(rec.pid);
    if (start === null) return false;
    if (rec.start !== null && start !== rec.start) return false;
    const name = basename(program);
    const argv0 =
      (await readFile(`${this.proc}/${rec.pid}/cmdline`, 'utf8').catch(() => '')).split('\0')[0] ?? '';
    if (argv0 && basename(argv0.split(' ')[0] ?? '') === name) return true;
    // comm is the executable's name cut to 15 bytes: it survives a daemon rewriting its argv.
    const comm = (await readFile(`${this.proc}/${rec.pid}/comm`, 'utf8').catch(() => '')).trim();
    return comm !== '' && comm === name.slice(0, 15);
  }

  /**
   * Stops the recorded process if it is still that process: SIGTERM, then SIGKILL after `graceMs`.
   * Returns whether it was there to stop. Each signal is sent only after the record matched again,
   * so a PID recycled while waiting is never signalled.
   */
  async stop(rec: PidRecord, opts: { program?: string; graceMs?: number } = {}): Promise<boolean> {
    const program = opts.program ?? rec.program;
    if (!(await this.alive(rec, program))) return false;
    const pinned: PidRecord = { ...rec, start: rec.start ?? (await this.startTime(rec.pid)) };
    const send = async (sig: NodeJS.Signals) => {
      if (!(await this.alive(pinned, program))) return false;
      try {
        process.kill(rec.pid, sig);
      } catch {
        return false;
      }
      return true;
    };
    if (!(await send('SIGTERM'))) return true;
    const until = Date.now() + (opts.graceMs ?? 10_000);
    while (Date.now() < until) {
      await sleep(100);
      if (!(await this.alive(pinned, program))) return true;
    }
    await send('SIGKILL');
    for (let i = 0; i < 50 && (await this.alive(pinned, program)); i++) await sleep(100);
    return true;
  }
}
