// CLI output: --json prints exactly what the API answered; otherwise a plain table or key/value list,
// with sizes in binary units for people (the API's fields of integer bytes, by name).
import { formatBytes } from './sizes.js';

export function printJson(v: unknown): void {
  process.stdout.write(`${JSON.stringify(v, null, 2)}\n`);
}

/** Fields that are integer bytes wherever the API returns them (one name, one meaning). */
const BYTE_FIELDS = new Set([
  'size',
  'used',
  'free',
  'exclusive',
  'referenced',
  'bytes_sent',
  'allocated',
  'unallocated',
  'raw_size',
  'usable_size',
  'free_min',
  'dedup_saved_bytes',
  'bytes_scrubbed',
]);

const cell = (v: unknown, field?: string): string =>
  v === null || v === undefined
    ? '-'
    : typeof v === 'number' && field && BYTE_FIELDS.has(field)
      ? formatBytes(v)
      : typeof v === 'object'
        ? JSON.stringify(v)
        : String(v);

export function printTable(rows: Record<string, unknown>[], columns: string[]): void {
  const widths = columns.map((c) => Math.max(c.length, ...rows.map((r) => cell(r[c], c).length)));
  const line = (vals: string[]) =>
    vals
      .map((v, i) => v.padEnd(widths[i]!))
      .join('  ')
      .trimEnd();
  process.stdout.write(`${line(columns.map((c) => c.toUpperCase()))}\n`);
  for (const r of rows) process.stdout.write(`${line(columns.map((c) => cell(r[c], c)))}\n`);
}

export function printObject(o: Record<string, unknown>): void {
  const w = Math.max(...Object.keys(o).map((k) => k.length));
  for (const [k, v] of Object.entries(o)) process.stdout.write(`${k.padEnd(w)}  ${cell(v, k)}\n`);
}

/** A one-line progress bar on stderr, redrawn in place when stderr is a terminal. */
export function progressBar(): (p: number, title: string) => void {
  let last = '';
  return (p, title) => {
    const width = 30;
    const filled = Math.round(Math.max(0, Math.min(1, p)) * width);
    const text = `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${Math.round(p * 100)}% ${title}`;
    if (text === last) return;
    last = text;
    if (process.stderr.isTTY) process.stderr.write(`\r${text}`);
    else process.stderr.write(`${text}\n`);
  };
}
