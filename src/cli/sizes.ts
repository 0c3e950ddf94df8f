// Sizes on the command line: the one parser every size flag and argument uses (bytes, or a number
// with a binary unit), and the one formatter tables use to print sizes for people. `--json` output
// keeps the API's integer bytes.
import { InvalidArgumentError } from 'commander';

const UNITS = ['', 'K', 'M', 'G', 'T', 'P'] as const;

/**
 * `4096`, `4096B`, `512K`, `1G`, `1.5GiB`, `2t` → bytes. Units are binary (K = KiB = 1024). A decimal
 * suffix (`GB`) is refused rather than guessed: some tools read it as 10^9, others as 2^30.
 */
export function parseSize(text: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*(?:([KMGTP])(i?)(b?)|b)?$/i.exec(text.trim());
  if (!m || (m[2] && !m[3] && m[4]))
    throw new Error(
      `not a size: ${JSON.stringify(text)} (bytes, or a number with K, M, G, T, KiB, MiB, GiB or TiB, e.g. 1G)`,
    );
  const unit = UNITS.indexOf((m[2] ?? '').toUpperCase() as (typeof UNITS)[number]);
  const bytes = Math.round(Number(m[1]) * 1024 ** unit);
  if (!Number.isSafeInteger(bytes)) throw new Error(`not a size: ${JSON.stringify(text)} (too large)`);
  return bytes;
}

/** parseSize for commander options and arguments: a bad size is a usage error (exit status 2). */
export function sizeArg(text: string): number {
  try {
    return parseSize(text);
  } catch (e) {
    throw new InvalidArgumentError((e as Error).message);
  }
}

/** 2147483648 → "2.0 GiB", 512 → "512 B". */
export function formatBytes(n: number): string {
  let v = n;
  let i = 0;
  while (Math.abs(v) >= 1024 && i < UNITS.length - 1) {
    v /= 1024;
    i++;
  }
  return i ? `${v.toFixed(1)} ${UNITS[i]}iB` : `${v} B`;
}
