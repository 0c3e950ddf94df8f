// Sizes as people type them and as the API wants them: binary units (KiB … PiB; K, M, G, T, P
// are read as binary too, as the CLI does) to integer bytes, and bytes back to a short figure.
export const UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'] as const;
export type Unit = (typeof UNITS)[number];

const FACTORS: Record<string, number> = { b: 0, k: 1, m: 2, g: 3, t: 4, p: 5 };

export const unitBytes = (u: Unit) => 1024 ** UNITS.indexOf(u);

/** Bytes of `value` `unit`, rounded down to a whole byte; null when not a finite non-negative figure. */
export function toBytes(value: number, unit: Unit): number | null {
  if (!Number.isFinite(value) || value < 0) return null;
  return Math.floor(value * unitBytes(unit));
}

/** Reads "512M", "1.5 GiB", "2T", "4096" (bytes); null when it is not a size. */
export function parseSize(text: string): number | null {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([bkmgtp])?(?:i?b)?\s*$/i.exec(text);
  if (!m) return null;
  const power = FACTORS[(m[2] ?? 'b').toLowerCase()]!;
  return Math.floor(Number(m[1]) * 1024 ** power);
}

/** The largest unit in which the size is at least 1 (or whole, when `exact`): for an editor. */
export function bestUnit(bytes: number, exact = false): { value: number; unit: Unit } {
  for (let i = UNITS.length - 1; i > 0; i--) {
    const f = 1024 ** i;
    if (bytes >= f && (!exact || bytes % f === 0)) return { value: bytes / f, unit: UNITS[i]! };
  }
  return { value: bytes, unit: 'B' };
}

/** "1.5 GiB", "0 B"; one decimal under 10 units, none above. */
export function formatBytes(bytes: number | null | undefined): string {
  if (bytes === null || bytes === undefined || !Number.isFinite(bytes)) return '—';
  const { value, unit } = bestUnit(Math.abs(bytes));
  const shown = unit === 'B' ? String(value) : value < 10 ? value.toFixed(1) : value.toFixed(0);
  return `${bytes < 0 ? '-' : ''}${shown} ${unit}`;
}

export const formatRate = (bytesPerSecond: number) => `${formatBytes(bytesPerSecond)}/s`;
