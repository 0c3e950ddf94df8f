// Where cairnd's log lines go and in which shape: pino's JSON lines for journals and log shippers,
// or, when stdout is a terminal (scripts/up.sh in a shell), one readable line per entry:
// `14:03:07.123 INFO  message  key=value …`, with an error's stack below it.
import type { DestinationStream } from 'pino';

const LEVELS: Record<number, string> = {
  10: 'TRACE',
  20: 'DEBUG',
  30: 'INFO',
  40: 'WARN',
  50: 'ERROR',
  60: 'FATAL',
};
const COLORS: Record<number, string> = { 40: '\x1b[33m', 50: '\x1b[31m', 60: '\x1b[41m' };
/** Fields every line has (or that the terminal does not need): left out of the key=value part. */
const OMIT = new Set(['level', 'time', 'msg', 'pid', 'hostname', 'host', 'err']);

const value = (v: unknown): string =>
  typeof v === 'string' ? (/^[^\s"=]+$/.test(v) ? v : JSON.stringify(v)) : JSON.stringify(v);

/** One pino JSON line as a readable line (the input unchanged when it is not a JSON object). */
export function prettyLine(json: string, color = false): string {
  let o: Record<string, unknown>;
  try {
    o = JSON.parse(json) as Record<string, unknown>;
  } catch {
    return json.endsWith('\n') ? json : `${json}\n`;
  }
  if (!o || typeof o !== 'object') return `${json.trimEnd()}\n`;
  const level = typeof o.level === 'number' ? o.level : 30;
  const name = (LEVELS[level] ?? String(level)).padEnd(5);
  const shown = color && COLORS[level] ? `${COLORS[level]}${name}\x1b[0m` : name;
  const time = typeof o.time === 'number' ? new Date(o.time).toISOString().slice(11, 23) : '';
  const rest = Object.entries(o)
    .filter(([k, v]) => !OMIT.has(k) && v !== undefined)
    .map(([k, v]) => `${k}=${value(v)}`)
    .join(' ');
  const err = o.err as { message?: string; stack?: string } | undefined;
  const msg = typeof o.msg === 'string' ? o.msg : (err?.message ?? '');
  const stack = err?.stack ? `\n    ${err.stack.split('\n').join('\n    ')}` : '';
  return `${[time, shown, msg].filter(Boolean).join(' ')}${rest ? `  ${rest}` : ''}${stack}\n`;
}

/** Readable lines on a terminal, JSON lines otherwise (undefined: pino's own stdout destination). */
export function logDestination(
  out: { isTTY?: boolean; write(s: string): unknown } = process.stdout,
): DestinationStream | undefined {
  if (!out.isTTY) return undefined;
  return { write: (line: string) => void out.write(prettyLine(line, true)) };
}
