// CLI output: --json prints exactly what the API answered; otherwise a plain table or key/value list.
export function printJson(v: unknown): void {
  process.stdout.write(`${JSON.stringify(v, null, 2)}\n`);
}

const cell = (v: unknown): string =>
  v === null || v === undefined ? '-' : typeof v === 'object' ? JSON.stringify(v) : String(v);

export function printTable(rows: Record<string, unknown>[], columns: string[]): void {
  const widths = columns.map((c) => Math.max(c.length, ...rows.map((r) => cell(r[c]).length)));
  const line = (vals: string[]) =>
    vals
      .map((v, i) => v.padEnd(widths[i]!))
      .join('  ')
      .trimEnd();
  process.stdout.write(`${line(columns.map((c) => c.toUpperCase()))}\n`);
  for (const r of rows) process.stdout.write(`${line(columns.map((c) => cell(r[c])))}\n`);
}

export function printObject(o: Record<string, unknown>): void {
  const w = Math.max(...Object.keys(o).map((k) => k.length));
  for (const [k, v] of Object.entries(o)) process.stdout.write(`${k.padEnd(w)}  ${cell(v)}\n`);
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

export function formatBytes(n: unknown): string {
  if (typeof n !== 'number') return cell(n);
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];
  let v = n;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v.toFixed(i ? 1 : 0)} ${units[i]}`;
}

/** Parses sizes like 10G, 512M, 4096 (bytes); binary units. */
export function parseSize(s: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*([KMGTP]?)(i?B)?$/i.exec(s.trim());
  if (!m) throw new Error(`not a size: ${s} (use e.g. 512M, 10G)`);
  const mult = { '': 1, K: 1024, M: 1024 ** 2, G: 1024 ** 3, T: 1024 ** 4, P: 1024 ** 5 }[
    m[2]!.toUpperCase() as '' | 'K'
  ];
  return Math.round(Number(m[1]) * mult);
}
