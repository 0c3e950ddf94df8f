// Pure parsers of btrfs-progs 6.2 text output (unit-tested on captured output in test/fixtures/btrfs/).

/** One line of `btrfs qgroup show -re --raw`. Sizes in bytes; limits null when `none`. */
export interface QgroupRow {
  /** e.g. '0/257' */
  qgroupId: string;
  /** The subvolume id for level-0 qgroups, else null. */
  subvolumeId: number | null;
  referenced: number;
  exclusive: number;
  maxReferenced: number | null;
  maxExclusive: number | null;
  /** Path relative to the top level, '<toplevel>', '<stale>' or '' (higher-level qgroups). */
  path: string;
  stale: boolean;
}

const limit = (s: string): number | null => (s === 'none' ? null : Number(s));

export function parseQgroupShow(text: string): QgroupRow[] {
  const rows: QgroupRow[] = [];
  for (const line of text.split('\n')) {
    const m = /^(\d+)\/(\d+)\s+(\d+)\s+(\d+)\s+(none|\d+)\s+(none|\d+)\s*(.*)$/.exec(line.trim());
    if (!m) continue;
    const level = Number(m[1]);
    const path = (m[7] ?? '').trim();
    rows.push({
      qgroupId: `${m[1]}/${m[2]}`,
      subvolumeId: level === 0 ? Number(m[2]) : null,
      referenced: Number(m[3]),
      exclusive: Number(m[4]),
      maxReferenced: limit(m[5]!),
      maxExclusive: limit(m[6]!),
      path,
      stale: path === '<stale>',
    });
  }
  return rows;
}

/** One line of `btrfs subvolume list <mount>`: id and path relative to the top level. */
export interface SubvolumeRow {
  id: number;
  path: string;
}

export function parseSubvolumeList(text: string): SubvolumeRow[] {
  const out: SubvolumeRow[] = [];
  for (const line of text.split('\n')) {
    const m = /^ID (\d+) gen \d+ (?:cgen \d+ )?top level \d+ (?:otime .+? )?path (.+)$/.exec(line.trim());
    if (m) out.push({ id: Number(m[1]), path: m[2]! });
  }
  return out;
}

/** `btrfs inspect-internal rootid` prints one integer. */
export function parseRootId(text: string): number {
  const n = Number(text.trim());
  if (!Number.isInteger(n) || n <= 0) throw new Error(`unexpected rootid output: ${JSON.stringify(text)}`);
  return n;
}
