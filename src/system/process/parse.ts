// Pure parsers for daemon PID records and /proc/<pid>/stat (unit-tested; no I/O here).

/** What a supervisor remembers about a daemon it started. */
export interface PidRecord {
  pid: number;
  /** Field 22 of /proc/<pid>/stat at start (clock ticks after boot); null in old bare-PID files. */
  start: number | null;
  /** argv[0] it was started with; empty in old bare-PID files. */
  program: string;
}

const validPid = (n: unknown): n is number => typeof n === 'number' && Number.isInteger(n) && n > 1;

/** A record as written by Processes.record, or an older file holding only the PID. */
export function parsePidRecord(text: string): PidRecord | null {
  const t = text.trim();
  if (!t) return null;
  if (/^\d+$/.test(t)) {
    const pid = Number(t);
    return validPid(pid) ? { pid, start: null, program: '' } : null;
  }
  try {
    const r = JSON.parse(t) as Partial<PidRecord>;
    if (!validPid(r.pid)) return null;
    const start = typeof r.start === 'number' && Number.isInteger(r.start) && r.start >= 0 ? r.start : null;
    return { pid: r.pid, start, program: typeof r.program === 'string' ? r.program : '' };
  } catch {
    return null;
  }
}

/**
 * The start time (field 22) of a /proc/<pid>/stat line; null when empty, malformed or a zombie
 * (a zombie has ended: nothing is left to stop). The command name (field 2) may hold spaces and
 * parentheses, so fields are counted after its last ')'.
 */
export function parseStartTime(stat: string): number | null {
  const close = stat.lastIndexOf(')');
  if (close < 0) return null;
  const rest = stat
    .slice(close + 1)
    .trim()
    .split(/\s+/);
  // rest[0] is field 3 (state), so field 22 is rest[19].
  if (rest[0] === 'Z' || rest[0] === 'X') return null;
  const v = Number(rest[19]);
  return Number.isInteger(v) && v >= 0 ? v : null;
}
