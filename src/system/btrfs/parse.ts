// Pure parsers of btrfs-progs 6.2 output (unit-tested on captured output in test/fixtures/btrfs/).
// JSON exists only for `filesystem df` and `device stats`; the rest is text read with -b/--raw.

export interface FsUsage {
  deviceSize: number;
  allocated: number;
  unallocated: number;
  missing: number;
  used: number;
  freeEstimated: number;
  freeMin: number;
  dataRatio: number;
  metadataRatio: number;
  globalReserve: number;
  multipleProfiles: boolean;
  /** Block groups by type (Data, Metadata, System) and profile, with size and used (per copy). */
  groups: { type: string; profile: string; size: number; used: number; devices: Record<string, number> }[];
  /** Unallocated bytes per device path. */
  unallocatedByDevice: Record<string, number>;
}

const num = (s: string | undefined): number => {
  const n = Number((s ?? '').trim());
  return Number.isFinite(n) ? n : 0;
};

/** `btrfs filesystem usage -b <mnt>` */
export function parseUsage(text: string): FsUsage {
  const get = (label: string): string | undefined => {
    const m = new RegExp(`^\\s*${label.replace(/[()]/g, '\\$&')}:\\s*(.+)$`, 'm').exec(text);
    return m?.[1]?.trim();
  };
  const free = get('Free \\(estimated\\)') ?? get('Free (estimated)') ?? '';
  const freeMatch = /^(\d+)\s*\(min:\s*(\d+)\)/.exec(free);
  const out: FsUsage = {
    deviceSize: num(get('Device size')),
    allocated: num(get('Device allocated')),
    unallocated: num(get('Device unallocated')),
    missing: num(get('Device missing')),
    used: num(get('Used')),
    freeEstimated: freeMatch ? num(freeMatch[1]) : num(free.split(/\s/)[0]),
    freeMin: freeMatch ? num(freeMatch[2]) : 0,
    dataRatio: num(get('Data ratio')),
    metadataRatio: num(get('Metadata ratio')),
    globalReserve: num((get('Global reserve') ?? '').split(/\s/)[0]),
    multipleProfiles: (get('Multiple profiles') ?? 'no') === 'yes',
    groups: [],
    unallocatedByDevice: {},
  };
  let current: FsUsage['groups'][number] | Record<string, number> | null = null;
  for (const line of text.split('\n')) {
    const g = /^(\w+),([\w]+): Size:(\d+), Used:(\d+)/.exec(line);
    if (g) {
      const grp = {
        type: g[1]!,
        profile: g[2]!.toLowerCase(),
        size: num(g[3]),
        used: num(g[4]),
        devices: {},
      };
      out.groups.push(grp);
      current = grp.devices;
      continue;
    }
    if (/^Unallocated:/.test(line)) {
      current = out.unallocatedByDevice;
      continue;
    }
    const d = /^\s+(\S+)\s+(\d+)\s*$/.exec(line);
    if (d && current) (current as Record<string, number>)[d[1]!] = num(d[2]);
    else if (!line.trim()) current = null;
  }
  return out;
}

export interface DfEntry {
  type: string;
  profile: string;
  total: number;
  used: number;
}

/** `btrfs --format json filesystem df <mnt>` */
export function parseDfJson(text: string): DfEntry[] {
  const j = JSON.parse(text) as {
    'filesystem-df': { 'bg-type': string; 'bg-profile': string; total: string; used: string }[];
  };
  return j['filesystem-df'].map((e) => ({
    type: e['bg-type'],
    profile: e['bg-profile'].toLowerCase(),
    total: num(e.total),
    used: num(e.used),
  }));
}

export interface DeviceStats {
  device: string;
  devid: number;
  writeIoErrs: number;
  readIoErrs: number;
  flushIoErrs: number;
  corruptionErrs: number;
  generationErrs: number;
}

/** The five error counters of a device (from `btrfs device stats` or sysfs). */
export type ErrorCounters = Omit<DeviceStats, 'device' | 'devid'>;

export const totalErrors = (s: ErrorCounters): number =>
  s.writeIoErrs + s.readIoErrs + s.flushIoErrs + s.corruptionErrs + s.generationErrs;

/** A device of a mounted btrfs as the kernel shows it under /sys/fs/btrfs/<uuid>/devinfo/<devid>/. */
export interface SysDevice {
  devid: number;
  missing: boolean;
  errors: ErrorCounters;
}

/**
 * One devinfo/<devid>/ directory: `missing` ("0"/"1") and `error_stats` ("write_errs 0" lines, the
 * same counters `btrfs device stats` prints). Unknown counter names are ignored; absent ones are 0.
 */
export function parseSysDevice(devid: number, missing: string, errorStats: string): SysDevice {
  const n: Record<string, number> = {};
  for (const line of errorStats.split('\n')) {
    const m = /^(\w+)\s+(\d+)$/.exec(line.trim());
    if (m) n[m[1]!] = Number(m[2]);
  }
  return {
    devid,
    missing: missing.trim() === '1',
    errors: {
      writeIoErrs: n.write_errs ?? 0,
      readIoErrs: n.read_errs ?? 0,
      flushIoErrs: n.flush_errs ?? 0,
      corruptionErrs: n.corruption_errs ?? 0,
      generationErrs: n.generation_errs ?? 0,
    },
  };
}

/** `btrfs --format json device stats <mnt>` (exit 0; -c would exit 64 on non-zero counters) */
export function parseDeviceStatsJson(text: string): DeviceStats[] {
  const j = JSON.parse(text) as { 'device-stats': Record<string, string>[] };
  return j['device-stats'].map((e) => ({
    device: e.device ?? '',
    devid: num(e.devid),
    writeIoErrs: num(e.write_io_errs),
    readIoErrs: num(e.read_io_errs),
    flushIoErrs: num(e.flush_io_errs),
    corruptionErrs: num(e.corruption_errs),
    generationErrs: num(e.generation_errs),
  }));
}

export interface FsShow {
  label: string | null;
  uuid: string;
  totalDevices: number;
  devices: { devid: number; size: number; used: number; path: string | null; missing: boolean }[];
  /** "*** Some devices missing" or a missing path. */
  someMissing: boolean;
}

/** `btrfs filesystem show --raw <mnt|dev>` (first filesystem only) */
export function parseShow(text: string): FsShow | null {
  const head = /Label:\s+(?:'(.*)'|none)\s+uuid:\s+([0-9a-f-]{36})/.exec(text);
  if (!head) return null;
  const devices: FsShow['devices'] = [];
  for (const m of text.matchAll(/devid\s+(\d+)\s+size\s+(\d+)\s+used\s+(\d+)\s+path\s+(.+)$/gm)) {
    const path = m[4]!.trim();
    const missing = /<missing disk>|MISSING/.test(path);
    devices.push({
      devid: num(m[1]),
      size: num(m[2]),
      used: num(m[3]),
      path: missing ? null : path.split(/\s/)[0]!,
      missing,
    });
  }
  return {
    label: head[1] ?? null,
    uuid: head[2]!,
    totalDevices: num(/Total devices\s+(\d+)/.exec(text)?.[1]),
    devices,
    someMissing: /Some devices missing/.test(text) || devices.some((d) => d.missing),
  };
}

export interface ScrubCounters {
  dataBytesScrubbed: number;
  treeBytesScrubbed: number;
  readErrors: number;
  csumErrors: number;
  verifyErrors: number;
  superErrors: number;
  uncorrectableErrors: number;
  unverifiedErrors: number;
  correctedErrors: number;
}

export interface ScrubReport extends ScrubCounters {
  status: string | null;
  durationSeconds: number;
  /** Per device when run with -d. */
  devices: (ScrubCounters & { devid: number; device: string })[];
}

const COUNTER_KEYS: Record<string, keyof ScrubCounters> = {
  data_bytes_scrubbed: 'dataBytesScrubbed',
  tree_bytes_scrubbed: 'treeBytesScrubbed',
  read_errors: 'readErrors',
  csum_errors: 'csumErrors',
  verify_errors: 'verifyErrors',
  super_errors: 'superErrors',
  uncorrectable_errors: 'uncorrectableErrors',
  unverified_errors: 'unverifiedErrors',
  corrected_errors: 'correctedErrors',
};

const zero = (): ScrubCounters => ({
  dataBytesScrubbed: 0,
  treeBytesScrubbed: 0,
  readErrors: 0,
  csumErrors: 0,
  verifyErrors: 0,
  superErrors: 0,
  uncorrectableErrors: 0,
  unverifiedErrors: 0,
  correctedErrors: 0,
});

const duration = (s: string | undefined): number => {
  const m = /(\d+):(\d+):(\d+)/.exec(s ?? '');
  return m ? num(m[1]) * 3600 + num(m[2]) * 60 + num(m[3]) : 0;
};

/**
 * `btrfs scrub start -B -d -R <mnt>` or `btrfs scrub status -R [-d] <mnt>`: raw counters, summed over
 * devices. Scrub exits 0 even when it found errors, so this is the only truthful signal.
 */
export function parseScrubRaw(text: string): ScrubReport {
  const total = zero();
  const devices: ScrubReport['devices'] = [];
  let cur: ScrubCounters = total;
  let perDevice = false;
  let status: string | null = null;
  let dur = 0;
  for (const line of text.split('\n')) {
    const dev = /^Scrub device (\S+) \(id (\d+)\)/.exec(line);
    if (dev) {
      perDevice = true;
      const d = { ...zero(), devid: num(dev[2]), device: dev[1]! };
      devices.push(d);
      cur = d;
      continue;
    }
    const st = /^Status:\s+(\S+)/.exec(line);
    if (st) status = st[1]!;
    const du = /^Duration:\s+(\S+)/.exec(line);
    if (du) dur = Math.max(dur, duration(du[1]));
    const kv = /^\s+(\w+):\s+(\d+)\s*$/.exec(line);
    if (kv && COUNTER_KEYS[kv[1]!]) cur[COUNTER_KEYS[kv[1]!]!] += num(kv[2]);
  }
  if (perDevice) for (const d of devices) for (const k of Object.values(COUNTER_KEYS)) total[k] += d[k];
  return { ...total, status, durationSeconds: dur, devices };
}

/** `btrfs scrub start -B <mnt>` summary: "Error summary: csum=256 / Corrected: 256 / Uncorrectable: 0". */
export function parseScrubSummary(text: string): {
  corrected: number;
  uncorrectable: number;
  clean: boolean;
} {
  return {
    corrected: num(/Corrected:\s+(\d+)/.exec(text)?.[1]),
    uncorrectable: num(/Uncorrectable:\s+(\d+)/.exec(text)?.[1]),
    clean: /Error summary:\s+no errors found/.test(text),
  };
}

/** `btrfs balance status <mnt>`: "3 out of about 4 chunks balanced (4 considered),  25% left". */
export function parseBalanceStatus(text: string): { running: boolean; fractionDone: number | null } {
  if (/No balance found/.test(text)) return { running: false, fractionDone: null };
  const m = /(\d+) out of about (\d+) chunks balanced/.exec(text);
  const fraction = m && num(m[2]) > 0 ? Math.min(1, num(m[1]) / num(m[2])) : null;
  return { running: true, fractionDone: fraction };
}

/** `btrfs replace status -1 <mnt>`: "38.5% done, …", "Started on …, finished on …", "Never started". */
export function parseReplaceStatus(text: string): {
  state: 'running' | 'finished' | 'never' | 'canceled' | 'unknown';
  fractionDone: number | null;
  writeErrors: number;
  uncorrectableReadErrors: number;
} {
  const pct = /([\d.]+)% done/.exec(text);
  const state = /Never started/.test(text)
    ? 'never'
    : /finished on/.test(text)
      ? 'finished'
      : /cancel/i.test(text)
        ? 'canceled'
        : pct
          ? 'running'
          : 'unknown';
  return {
    state,
    fractionDone: state === 'finished' ? 1 : pct ? num(pct[1]) / 100 : null,
    writeErrors: num(/(\d+) write errs/.exec(text)?.[1]),
    uncorrectableReadErrors: num(/(\d+) uncorr\. read errs/.exec(text)?.[1]),
  };
}

/** `btrfs filesystem du -s --raw <dir>`: logical bytes (uncompressed) of the extents files use. */
export function parseFsDu(text: string): { total: number; exclusive: number; shared: number } {
  const line = text
    .split('\n')
    .map((l) => l.trim())
    .find((l) => /^\d+\s+\d+\s+(\d+|-)\s+/.test(l));
  const [t, e, s] = (line ?? '0 0 0').split(/\s+/);
  return { total: num(t), exclusive: num(e), shared: s === '-' ? 0 : num(s) };
}

/** `mkfs.btrfs` prints "UUID:              <uuid>". */
export const parseMkfsUuid = (text: string): string | null =>
  /^UUID:\s+([0-9a-f-]{36})/m.exec(text)?.[1] ?? null;

export interface MountEntry {
  mountPoint: string;
  fsType: string;
  source: string;
  /** Per-mount options followed by the filesystem's own (compress=…, degraded, …). */
  options: string[];
}

const unescapeMount = (s: string) =>
  s.replace(/\\([0-7]{3})/g, (_, o: string) => String.fromCharCode(parseInt(o, 8)));

/** /proc/self/mountinfo: read without running a program (findmnt costs a process per call). */
export function parseMountinfo(text: string): MountEntry[] {
  const out: MountEntry[] = [];
  for (const line of text.split('\n')) {
    const sep = line.indexOf(' - ');
    if (sep < 0) continue;
    const a = line.slice(0, sep).split(' ');
    const b = line.slice(sep + 3).split(' ');
    if (a.length < 6 || b.length < 3) continue;
    out.push({
      mountPoint: unescapeMount(a[4]!),
      fsType: b[0]!,
      source: unescapeMount(b[1]!),
      options: [...a[5]!.split(','), ...b[2]!.split(',')],
    });
  }
  return out;
}
