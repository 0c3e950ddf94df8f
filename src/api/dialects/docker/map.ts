// Pure translation between Docker (the volume plugin protocol, the Engine volume API) and Cairn:
// Portworx-style create options and inline specs, sizes, snapshot schedules, Engine list filters,
// and the Docker volume objects. No I/O: the routes call services with what these return.
import type { FieldProblem } from '../../../domain/errors.js';

/** The create options Docker users pass (`--opt k=v`, DriverOpts, or an inline spec in the name). */
export const CREATE_OPTIONS = [
  'size',
  'repl',
  'ha_level',
  'fs',
  'block_size',
  'labels',
  'label',
  'snap_interval',
  'snap_schedule',
  'compression',
  'pool',
] as const;

/** What a create asks of Cairn, once the options are read. */
export interface CreatePlan {
  name: string;
  type: 'filesystem' | 'lun';
  size: number;
  /** A lun's filesystem when the volume is made as a formatted block device (fs=ext4|xfs). */
  filesystem?: 'ext4' | 'xfs';
  block_size?: number;
  compression?: string;
  /** The pool named by the `pool` option (a name or an id); absent: the configured one. */
  pool?: string;
  labels: Record<string, string>;
  /** Native snapshot schedules: a cron and how many of its snapshots to keep. */
  schedules: { name: string; cron: string; keep: number }[];
}

const GIB = 1024 ** 3;
/** Portworx's default size when none is given: 1 GB. */
export const DEFAULT_SIZE = GIB;
/** btrfs's block size; a filesystem volume has no other. */
export const BTRFS_BLOCK = 4096;
/** How many snapshots a snap_interval schedule keeps when no count is given (Portworx keeps 5). */
export const DEFAULT_KEEP = 5;
const UNITS: Record<string, number> = { '': 1, k: 1024, m: 1024 ** 2, g: GIB, t: 1024 ** 4, p: 1024 ** 5 };

/**
 * A size as Portworx users write it: a bare number is GB (the seed's "14" is 14 GB, 15032385536
 * bytes), otherwise a number with a unit K, M, G, T or P (optionally followed by `i`, `B` or `iB`),
 * in powers of 1024 as Portworx counts them. Null when it cannot be read.
 */
export function parseSize(s: string, bareUnit = GIB): number | null {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([kmgtp]?)(i?b?)\s*$/i.exec(s);
  if (!m) return null;
  const unit = m[2]!.toLowerCase();
  if (!unit && m[3]) return null;
  const n = Number(m[1]) * (unit ? UNITS[unit]! : bareUnit);
  return Number.isSafeInteger(Math.round(n)) && n > 0 ? Math.round(n) : null;
}

/**
 * An inline spec in the volume name, as OpenStorage accepts it: `name=v1,size=10G,repl=1`.
 * Returns null for a plain name. A spec's options come before the explicit ones (which win).
 */
export function parseInlineSpec(
  raw: string,
): { name: string; opts: Record<string, string> } | { problem: string } | null {
  if (!raw.includes('=')) return null;
  const opts: Record<string, string> = {};
  let name: string | undefined;
  for (const part of raw.split(',')) {
    const i = part.indexOf('=');
    if (i <= 0) return { problem: `inline spec part "${part}" is not key=value` };
    const k = part.slice(0, i).trim();
    const v = part.slice(i + 1).trim();
    if (k === 'name') name = v;
    else opts[k] = v;
  }
  if (!name) return { problem: 'an inline spec needs name=<volume name>' };
  return { name, opts };
}

/** `k1=v1,k2=v2` (or `;`-separated, as inline specs need) into a map. */
export function parseLabels(s: string): Record<string, string> | null {
  const out: Record<string, string> = {};
  for (const part of s.split(/[,;]/)) {
    if (!part.trim()) continue;
    const i = part.indexOf('=');
    if (i === 0) return null;
    if (i < 0) out[part.trim()] = '';
    else out[part.slice(0, i).trim()] = part.slice(i + 1).trim();
  }
  return out;
}

const WEEKDAYS = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'];

/** A snap_interval (minutes) as a cron, or why it cannot be one. */
export function intervalCron(minutes: number): string | { problem: string } {
  if (!Number.isInteger(minutes) || minutes <= 0) return { problem: 'must be a whole number of minutes' };
  if (minutes < 60 && 60 % minutes === 0) return `*/${minutes} * * * *`;
  if (minutes % 60 === 0 && 24 % (minutes / 60) === 0)
    return minutes === 1440 ? '0 0 * * *' : `0 */${minutes / 60} * * *`;
  return {
    problem: `${minutes} minutes does not divide an hour or a day evenly (use 1-60 dividing 60, or whole hours dividing 24)`,
  };
}

const hhmm = (s: string): [number, number] | null => {
  const m = /^(\d{1,2}):(\d{2})$/.exec(s);
  if (!m || Number(m[1]) > 23 || Number(m[2]) > 59) return null;
  return [Number(m[1]), Number(m[2])];
};

/**
 * A Portworx snapshot schedule: `periodic=60,5;daily=12:00,4;weekly=sunday@12:00,4;monthly=15@12:00,2`
 * (each `kind=when[,keep]`, several separated by `;` or `#`).
 */
export function parseSchedule(s: string): { schedules: CreatePlan['schedules'] } | { problem: string } {
  const schedules: CreatePlan['schedules'] = [];
  for (const part of s.split(/[;#]/).filter((x) => x.trim())) {
    const m = /^\s*(periodic|daily|weekly|monthly)=([^,]+)(?:,(\d+))?\s*$/.exec(part);
    if (!m)
      return {
        problem: `"${part}" is not periodic=MIN[,K], daily=HH:MM[,K], weekly=DAY@HH:MM[,K] or monthly=D@HH:MM[,K]`,
      };
    const [, kind, when, keepS] = m as unknown as [string, string, string, string | undefined];
    const keep = keepS === undefined ? DEFAULT_KEEP : Number(keepS);
    if (keep < 1) return { problem: `${kind}: keep at least 1 snapshot` };
    let cron: string | { problem: string };
    if (kind === 'periodic') cron = intervalCron(Number(when));
    else {
      const [day, time] = kind === 'daily' ? ['', when] : (when.split('@') as [string, string | undefined]);
      const t = time === undefined ? null : hhmm(time);
      if (!t) return { problem: `${kind}: "${when}" needs a time HH:MM` };
      if (kind === 'daily') cron = `${t[1]} ${t[0]} * * *`;
      else if (kind === 'weekly') {
        const d = WEEKDAYS.findIndex((w) => w.startsWith(day.toLowerCase()) && day.length >= 3);
        if (d < 0) return { problem: `weekly: "${day}" is not a weekday` };
        cron = `${t[1]} ${t[0]} * * ${d}`;
      } else {
        const d = Number(day);
        if (!Number.isInteger(d) || d < 1 || d > 28) return { problem: `monthly: day "${day}" must be 1-28` };
        cron = `${t[1]} ${t[0]} ${d} * *`;
      }
    }
    if (typeof cron !== 'string') return { problem: `${kind}: ${cron.problem}` };
    schedules.push({ name: kind, cron, keep });
  }
  return { schedules };
}

const COMPRESSION: Record<string, string> = { on: 'zstd', true: 'zstd', off: 'none', false: 'none' };

/**
 * Reads a create's options (Portworx's names) into a plan; every problem is returned, unknown
 * options by name. `nodes` is how many nodes can hold a replica (Cairn is one machine).
 */
export function createPlan(
  rawName: string,
  explicit: Record<string, string>,
  nodes: number,
): { plan: CreatePlan } | { problems: FieldProblem[] } {
  const problems: FieldProblem[] = [];
  const bad = (field: string, code: string, message: string) => problems.push({ field, code, message });
  const spec = parseInlineSpec(rawName);
  if (spec && 'problem' in spec)
    return { problems: [{ field: 'name', code: 'BAD_SPEC', message: spec.problem }] };
  const name = spec ? spec.name : rawName;
  const opts: Record<string, string> = { ...(spec?.opts ?? {}), ...explicit };
  for (const k of Object.keys(opts))
    if (!(CREATE_OPTIONS as readonly string[]).includes(k))
      bad(k, 'UNKNOWN_OPTION', `unknown option ${k} (known: ${CREATE_OPTIONS.join(', ')})`);

  let size = DEFAULT_SIZE;
  if (opts.size !== undefined) {
    const n = parseSize(opts.size);
    if (n === null)
      bad('size', 'BAD_SIZE', `size "${opts.size}": a number of GB, or with a unit (10G, 512M)`);
    else size = n;
  }
  for (const k of ['repl', 'ha_level'] as const) {
    const v = opts[k];
    if (v === undefined) continue;
    const n = Number(v);
    if (!/^\d+$/.test(v.trim()) || n < 1) bad(k, 'BAD_REPL', `${k} "${v}": a whole number from 1`);
    else if (n > nodes) bad(k, 'NOT_ENOUGH_NODES', `${k} ${n} needs ${n} nodes; this cluster has ${nodes}`);
  }
  let type: CreatePlan['type'] = 'filesystem';
  let filesystem: CreatePlan['filesystem'];
  const fs = opts.fs?.trim().toLowerCase();
  if (fs === 'ext4' || fs === 'xfs') {
    type = 'lun';
    filesystem = fs;
  } else if (fs !== undefined && fs !== 'btrfs' && fs !== '')
    bad('fs', 'BAD_FS', `fs "${opts.fs}": btrfs (a subvolume, the default), ext4 or xfs (a formatted lun)`);
  let block_size: number | undefined;
  if (opts.block_size !== undefined) {
    // Portworx's older docs give block_size in KB; OpenStorage in bytes: a bare number under 512 is KB.
    const bare = /^\s*\d+\s*$/.test(opts.block_size) ? Number(opts.block_size) : null;
    const n = bare !== null ? (bare < 512 ? bare * 1024 : bare) : parseSize(opts.block_size, 1);
    if (type === 'lun' && (n === 512 || n === 4096)) block_size = n;
    else if (type === 'filesystem' && n === BTRFS_BLOCK) block_size = undefined;
    else
      bad(
        'block_size',
        'BAD_BLOCK_SIZE',
        type === 'lun'
          ? `block_size "${opts.block_size}": a formatted lun's block size is 512 or 4096`
          : `block_size "${opts.block_size}": a btrfs volume's block size is the pool's ${BTRFS_BLOCK}`,
      );
  }
  let labels: Record<string, string> = {};
  for (const k of ['label', 'labels'] as const) {
    if (opts[k] === undefined) continue;
    const l = parseLabels(opts[k]);
    if (!l) bad(k, 'BAD_LABELS', `${k} "${opts[k]}": k1=v1,k2=v2`);
    else labels = { ...labels, ...l };
  }
  let schedules: CreatePlan['schedules'] = [];
  if (opts.snap_interval !== undefined && opts.snap_interval.trim() !== '0') {
    const c = intervalCron(Number(opts.snap_interval));
    if (typeof c === 'string') schedules.push({ name: 'interval', cron: c, keep: DEFAULT_KEEP });
    else bad('snap_interval', 'BAD_INTERVAL', `snap_interval "${opts.snap_interval}": ${c.problem}`);
  }
  if (opts.snap_schedule !== undefined) {
    const r = parseSchedule(opts.snap_schedule);
    if ('problem' in r) bad('snap_schedule', 'BAD_SCHEDULE', r.problem);
    else schedules = [...schedules, ...r.schedules];
  }
  let compression: string | undefined;
  if (opts.compression !== undefined) {
    const c = opts.compression.trim().toLowerCase();
    compression = COMPRESSION[c] ?? c;
  }
  if (problems.length) return { problems };
  return {
    plan: {
      name,
      type,
      size: type === 'lun' ? Math.ceil(size / (block_size ?? 512)) * (block_size ?? 512) : size,
      ...(filesystem ? { filesystem } : {}),
      ...(block_size !== undefined ? { block_size } : {}),
      ...(compression !== undefined ? { compression } : {}),
      ...(opts.pool ? { pool: opts.pool.trim() } : {}),
      labels,
      schedules,
    },
  };
}

// ---- What Docker was asked, kept on the volume

/** The volume metadata key keeping the driver name a create asked for (`cairn`, `pxd`, `local`…). */
export const DRIVER_KEY = 'docker.driver';
/** The metadata prefix of the options a create was given (`docker.opt.size` = `14`), as Docker shows them. */
export const OPTION_PREFIX = 'docker.opt.';

/**
 * The metadata that records a create as Docker made it: the driver name asked (none: the volume
 * shows the plugin's own name) and the options given, so inspect and list answer them later.
 */
export function askedMetadata(
  driver: string | undefined,
  options: Record<string, string>,
): Record<string, string> {
  const out: Record<string, string> = driver ? { [DRIVER_KEY]: driver } : {};
  for (const [k, v] of Object.entries(options)) out[`${OPTION_PREFIX}${k}`] = v;
  return out;
}

/** The driver and options Docker shows for a volume: those recorded at its create, else `main` and none. */
export function dockerSide(
  metadata: Record<string, string>,
  main: string,
): { driver: string; options: Record<string, string> } {
  const options: Record<string, string> = {};
  for (const [k, v] of Object.entries(metadata))
    if (k.startsWith(OPTION_PREFIX)) options[k.slice(OPTION_PREFIX.length)] = v;
  return { driver: metadata[DRIVER_KEY] || main, options };
}

/**
 * Which plugin socket lists a volume: the alias its driver names, else the main one (`local`, an
 * Engine API create without a driver, volumes made natively or by OpenStorage). dockerd asks every
 * plugin for its list, so a volume answered on two sockets would show twice in `docker volume ls`.
 */
export const listedBy = (driver: string, main: string, aliases: readonly string[]): string =>
  aliases.includes(driver) ? driver : main;

// ---- The Engine API

/** Docker's Engine API version Cairn answers as (prune keeps anonymous-only semantics from 1.42). */
export const API_VERSION = '1.43';
export const MIN_API_VERSION = '1.24';
/** The label Docker puts on anonymous volumes. */
export const ANONYMOUS_LABEL = 'com.docker.volume.anonymous';
export const ENGINE_FILTERS = ['name', 'label', 'driver', 'dangling'] as const;
export const PRUNE_FILTERS = ['label', 'label!', 'all'] as const;

/**
 * Docker's `filters` query: JSON of `{"key": ["v", …]}` (docker-py, API ≥ 1.22) or
 * `{"key": {"v": true}}` (the docker CLI). Keys outside `allowed` are refused.
 */
export function parseFilters(
  raw: string | undefined,
  allowed: readonly string[],
): Record<string, string[]> | { problem: string } {
  if (raw === undefined || raw.trim() === '') return {};
  let v: unknown;
  try {
    v = JSON.parse(raw);
  } catch {
    return { problem: 'filters: not JSON' };
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v))
    return { problem: 'filters: not a JSON object' };
  const out: Record<string, string[]> = {};
  for (const [k, val] of Object.entries(v as Record<string, unknown>)) {
    if (!allowed.includes(k)) return { problem: `invalid filter '${k}'` };
    const list = Array.isArray(val)
      ? val
      : typeof val === 'object' && val !== null
        ? Object.entries(val as Record<string, unknown>)
            .filter(([, on]) => on === true)
            .map(([x]) => x)
        : null;
    if (!list || list.some((x) => typeof x !== 'string'))
      return { problem: `filters: ${k} must list strings` };
    out[k] = list as string[];
  }
  return out;
}

/** What the Engine API lists a volume by (the Docker view of a Cairn volume). */
export interface DockerVolumeFacts {
  name: string;
  driver: string;
  labels: Record<string, string>;
  /** In use by a container (an attachment). */
  inUse: boolean;
}

const boolFilter = (v: string): boolean | null =>
  ['true', '1'].includes(v.toLowerCase()) ? true : ['false', '0'].includes(v.toLowerCase()) ? false : null;

/** Docker's label filter: `key` (present) or `key=value`. */
export const labelMatches = (labels: Record<string, string>, f: string): boolean => {
  const i = f.indexOf('=');
  return i < 0 ? f in labels : labels[f.slice(0, i)] === f.slice(i + 1);
};

/** Docker's `label` filters as the store's label filters (`key` present, or `key=value`). */
export const labelFilters = (labels: readonly string[] | undefined): { key: string; value?: string }[] =>
  (labels ?? []).map((l) => {
    const i = l.indexOf('=');
    return i < 0 ? { key: l } : { key: l.slice(0, i), value: l.slice(i + 1) };
  });

/** Validates the values of Engine list filters (a bad `dangling` is an error, as in Docker). */
export function filterProblem(f: Record<string, string[]>): string | null {
  for (const v of [...(f.dangling ?? []), ...(f.all ?? [])])
    if (boolFilter(v) === null) return `invalid filter value '${v}': true, false, 1 or 0`;
  return null;
}

/** Docker's volume list filters: each key's values ORed (name: substring, as Docker matches), keys ANDed. */
export function matchesFilters(v: DockerVolumeFacts, f: Record<string, string[]>): boolean {
  if (f.name?.length && !f.name.some((n) => v.name.includes(n))) return false;
  if (f.driver?.length && !f.driver.includes(v.driver)) return false;
  if (f.label?.length && !f.label.every((l) => labelMatches(v.labels, l))) return false;
  if (f['label!']?.length && f['label!'].some((l) => labelMatches(v.labels, l))) return false;
  if (f.dangling?.length) {
    const want = f.dangling.map(boolFilter);
    if (!want.includes(!v.inUse)) return false;
  }
  return true;
}

/** Which volumes a prune removes: unused ones, and from API 1.42 on only anonymous ones unless `all`. */
export function prunable(v: DockerVolumeFacts, f: Record<string, string[]>, apiVersion: string): boolean {
  if (v.inUse) return false;
  if (!matchesFilters(v, { label: f.label ?? [], 'label!': f['label!'] ?? [] })) return false;
  const all = (f.all ?? []).some((x) => boolFilter(x) === true);
  return all || versionBefore(apiVersion, '1.42') || ANONYMOUS_LABEL in v.labels;
}

/** `a < b` for API versions like 1.41. */
export function versionBefore(a: string, b: string): boolean {
  const [am, an] = a.split('.').map(Number) as [number, number];
  const [bm, bn] = b.split('.').map(Number) as [number, number];
  return am < bm || (am === bm && an < bn);
}

/** The version a request asked for by its `/v1.NN` prefix (none: Cairn's own). */
export const requestedVersion = (prefix: string | undefined): string =>
  prefix && /^v\d+\.\d+$/.test(prefix) ? prefix.slice(1) : API_VERSION;

/** Docker's Engine API volume object. */
export interface EngineVolume {
  Name: string;
  Driver: string;
  Mountpoint: string;
  CreatedAt: string;
  Labels: Record<string, string>;
  Scope: 'local';
  Options: Record<string, string>;
  Status?: Record<string, unknown>;
}

/** Docker prints times with a zone and no fraction: 2024-01-02T03:04:05Z. */
export const dockerTime = (iso: string): string => new Date(iso).toISOString().replace(/\.\d{3}Z$/, 'Z');

/** A random 64-hex name for an anonymous volume (as Docker makes them). */
export const anonymousName = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');
