// Pure mappers between Cairn's wire objects and NGXStorage's (seed 002): ids, sizes, times, and
// the product's answer shapes. No I/O: the routes fetch, these translate.
import { createHash } from 'node:crypto';
import { isIPv4, isIPv6 } from 'node:net';
import { EVERY_ADDRESS } from '../../../domain/exports.js';

// ---------------------------------------------------------------- ids
/**
 * NGX ids are 40 hex characters. Each is derived from the stored object: the 32 hex digits of
 * its UUID then an 8-digit tag naming the kind, so an id is read back without a lookup and a
 * volume id given where a snapshot id belongs is simply not found.
 */
export const KIND_TAG = {
  pool: 'a0000001',
  volume: 'a0000002',
  snapshot: 'a0000003',
  host: 'a0000004',
  export: 'a0000005',
  target: 'a0000006',
  schedule: 'a0000007',
  iqn: 'a0000008',
  portal: 'a0000009',
} as const;
export type NgxKind = keyof typeof KIND_TAG;
/** NGX's id pattern on path parameters ("1-40 hexadecimal characters"). */
export const NGX_ID_PATTERN = '^[0-9a-fA-F]{1,40}$';

export function ngxId(kind: NgxKind, uuid: string): string {
  return uuid.replace(/-/g, '').toLowerCase() + KIND_TAG[kind];
}

/** The Cairn UUID behind an NGX id of that kind, or null when it is not one. */
export function cairnId(kind: NgxKind, id: string): string | null {
  const s = id.toLowerCase();
  if (!/^[0-9a-f]{40}$/.test(s) || !s.endsWith(KIND_TAG[kind])) return null;
  const h = s.slice(0, 32);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/** NGX's default auth group: what a target with no hosts of its own reports (nobody may log in). */
export const DEFAULT_AUTH_GROUP = { group_id: '1', group_name: 'DefaultAuthGroup' } as const;

/** A portal group is an address carrying iSCSI (16 bytes, IPv4 mapped) or "all" (all zero). */
export function portalId(address: string | 'all'): string {
  if (address === 'all') return '0'.repeat(32) + KIND_TAG.portal;
  if (isIPv4(address)) {
    const b = address.split('.').map((x) => Number(x).toString(16).padStart(2, '0'));
    return '00000000000000000000ffff' + b.join('') + KIND_TAG.portal;
  }
  return ipv6Hex(address) + KIND_TAG.portal;
}

function ipv6Hex(a: string): string {
  const [head, tail = ''] = a.split('::') as [string, string?];
  const parts = (s: string) => (s ? s.split(':') : []);
  const h = parts(head);
  const t = a.includes('::') ? parts(tail) : [];
  const fill = Array<string>(8 - h.length - t.length).fill('0');
  return [...h, ...fill, ...t].map((x) => x.padStart(4, '0')).join('');
}

/** The address of a portal group id ('all' for the all-addresses group), or null. */
export function portalAddress(id: string, known: readonly string[]): string | 'all' | null {
  const s = id.toLowerCase();
  if (s === portalId('all')) return 'all';
  return known.find((a) => (isIPv4(a) || isIPv6(a)) && portalId(a) === s) ?? null;
}

/** A SCSI LUN id in NGX's form (the vendor prefix then the volume's UUID). */
export const scsiLunId = (volumeId: string): string => '589c00' + volumeId.replace(/-/g, '');

/** A stable integer for a log row whose id is not a number (NGX log ids are integers). */
export function logNumber(id: string): number {
  if (/^\d{1,15}$/.test(id)) return Number(id);
  return parseInt(createHash('sha1').update(id).digest('hex').slice(0, 12), 16);
}

// ---------------------------------------------------------------- sizes and times
export const SIZE_LETTERS = ['M', 'G', 'T'] as const;
export type SizeLetter = (typeof SIZE_LETTERS)[number];
const UNIT: Record<SizeLetter, number> = { M: 1024 ** 2, G: 1024 ** 3, T: 1024 ** 4 };

/** NGX sizes are a number and a unit letter (default G). */
export const bytesOf = (size: number, letter: SizeLetter = 'G'): number => size * UNIT[letter];

export const str = (n: number): string => String(Math.max(0, Math.round(n)));
export const epoch = (iso: string): string => String(Math.floor(Date.parse(iso) / 1000));
const pad = (n: number) => String(n).padStart(2, '0');
/** "2025-03-24 09:33:08" (UTC), as NGX's alert and audit logs write times. */
export function logTime(iso: string): string {
  const d = new Date(iso);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
}
/** "03/04/2025 15:33:40" (UTC), as NGX's system event log writes times. */
export function eventTime(iso: string): string {
  const d = new Date(iso);
  return `${pad(d.getUTCMonth() + 1)}/${pad(d.getUTCDate())}/${d.getUTCFullYear()} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
}
/** "33 minutes, 38 seconds" */
export function uptimeText(seconds: number): string {
  const s = Math.floor(seconds);
  const parts: [number, string][] = [
    [Math.floor(s / 86400), 'day'],
    [Math.floor((s % 86400) / 3600), 'hour'],
    [Math.floor((s % 3600) / 60), 'minute'],
    [s % 60, 'second'],
  ];
  const out = parts.filter(([n]) => n > 0).map(([n, w]) => `${n} ${w}${n === 1 ? '' : 's'}`);
  return out.length ? out.join(', ') : '0 seconds';
}

export const onOff = (b: boolean): 'on' | 'off' => (b ? 'on' : 'off');
/** NGX `compression: on` is zstd; `off` stores uncompressed. */
export const compressionOf = (v: 'on' | 'off'): string => (v === 'on' ? 'zstd' : 'none');
export const compressed = (c: string): boolean => c !== 'none' && c !== 'inherit' && c !== '';

// ---------------------------------------------------------------- log filters
export type LogKind = 'alert' | 'audit' | 'system_event';
/** NGX sort fields → the native list's fields, per log. */
const SORT_FIELDS: Record<LogKind, Record<string, string>> = {
  alert: { id: 'at', time: 'at', event_id: 'type', type: 'severity', description: 'message' },
  audit: { id: 'at', time: 'at', user: 'actor', host: 'actor', agent: 'actor', description: 'route' },
  system_event: { id: 'at', time: 'at', function: 'type', action: 'type', sensor: 'object_type' },
};
/** NGX alert types → Cairn severities. */
const SEVERITY: Record<string, string> = {
  info: 'info',
  warning: 'warning',
  error: 'error',
  fatal: 'critical',
};
/** Cairn severities → NGX alert types. */
export const NGX_TYPE: Record<string, string> = {
  info: 'INFO',
  warning: 'WARNING',
  error: 'ERROR',
  critical: 'FATAL',
};

export interface NgxLogQuery {
  filter?: Record<string, string | string[]>;
  sort?: string[];
  order?: 'asc' | 'desc';
  limit?: number;
  page?: number;
}

/** A time filter bound: an ISO time, epoch seconds, or NGX's "YYYY-MM-DD[ HH:MM:SS]". */
function isoBound(v: string, end: boolean): string {
  if (/^\d{9,11}$/.test(v)) return new Date(Number(v) * 1000).toISOString();
  if (/^\d{4}-\d{2}-\d{2}$/.test(v)) return `${v}T${end ? '23:59:59.999' : '00:00:00.000'}Z`;
  const m = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}(:\d{2})?)$/.exec(v);
  if (m) return `${m[1]}T${m[2]}${m[3] ? '' : ':00'}Z`;
  return v;
}

/**
 * NGX's `filter[…][]`, `sort[]`, `order`, `limit`, `page` as the native log list query
 * (`from`/`to`, `field=`, `field__in=`, `field__contains=`, `sort=`, `order`, `limit`, `page`),
 * which the native service turns into SQL on indexed columns.
 */
export function nativeLogQuery(kind: LogKind, q: NgxLogQuery): Record<string, string> {
  const out: Record<string, string> = {};
  const f = q.filter ?? {};
  const list = (v: string | string[] | undefined) => (v === undefined ? [] : [v].flat());
  const time = list(f.time);
  if (time[0]) out.from = isoBound(time[0], false);
  if (time[1]) out.to = isoBound(time[1], true);
  const types = list(f.type).map((t) => SEVERITY[t.toLowerCase()] ?? t.toLowerCase());
  if (types.length) out.severity__in = [...new Set(types)].join(',');
  const contains = (field: string, v: string | string[] | undefined) => {
    const x = list(v)[0];
    if (x) out[`${field}__contains`] = x;
  };
  if (kind === 'audit') {
    const user = list(f.user)[0];
    if (user) out.actor = user;
    const host = list(f.host)[0];
    if (host) out.source = host;
    contains('actor_kind', f.agent);
    contains('url', f.description);
  }
  if (kind === 'system_event') {
    contains('type', f.function ?? f.action);
    contains('object_type', f.sensor);
  }
  if (kind === 'alert') contains('message', f.description);
  const sort = (q.sort ?? []).map((s) => SORT_FIELDS[kind][s]).filter((s): s is string => Boolean(s));
  if (sort.length) out.sort = [...new Set(sort)].join(',');
  if (q.order) out.order = q.order;
  if (q.limit !== undefined) out.limit = String(q.limit === 0 ? 1000 : q.limit);
  if (q.page !== undefined) out.page = String(q.page);
  return out;
}

/**
 * Reads NGX's bracketed query names (`filter[type][]=a&filter[type][]=b`, `sort[]=time`) from
 * the flat query object Fastify gives.
 */
export function readLogQuery(raw: Record<string, unknown>): NgxLogQuery {
  const q: NgxLogQuery = {};
  const filter: Record<string, string | string[]> = {};
  for (const [k, v] of Object.entries(raw)) {
    const vals = [v].flat().map(String);
    const m = /^filter\[([a-z_]+)\](\[\])?$/.exec(k);
    if (m) filter[m[1]!] = m[2] ? vals : vals[0]!;
    else if (k === 'sort[]' || k === 'sort') q.sort = vals;
    else if (k === 'order') q.order = vals[0] === 'desc' ? 'desc' : 'asc';
    else if (k === 'limit') q.limit = Number(vals[0]);
    else if (k === 'page') q.page = Number(vals[0]);
  }
  if (Object.keys(filter).length) q.filter = filter;
  return q;
}

// ---------------------------------------------------------------- pools
/** Cairn's data profiles in NGX's RAID words. */
export const RAID_TYPE: Record<string, string> = {
  single: 'raid0',
  raid0: 'raid0',
  raid1: 'raid1',
  raid1c3: 'raid1',
  raid1c4: 'raid1',
  raid10: 'raid10',
  raid5: 'raid5',
  raid6: 'raid6',
  dup: 'raid1',
};
/** NGX pool states from Cairn's health. */
export const POOL_STATUS: Record<string, string> = {
  online: 'ONLINE',
  degraded: 'DEGRADED',
  faulted: 'FAULTED',
};

export interface PoolView {
  id: string;
  name: string;
  health: string;
  state: string;
  profile: string;
  disks: { name: string; state: string; path: string | null; devid: number | null }[];
  last_scrub: {
    state: string;
    finished_at: string;
    bytes_scrubbed: number;
    corrected_errors: number;
    uncorrectable_errors: number;
    duration_seconds: number;
  } | null;
}

const hms = (s: number) =>
  `${pad(Math.floor(s / 3600))}:${pad(Math.floor((s % 3600) / 60))}:${pad(Math.floor(s % 60))}`;

/** NGX's pool integrity: whether a scrub can start or stop, and what the last one did. */
export function integrity(p: PoolView, scrubbing: boolean) {
  const s = p.last_scrub;
  const info = s
    ? `Data rebuilded on ${new Date(s.finished_at).toUTCString()} and ${s.bytes_scrubbed} bytes checked ` +
      `(${s.corrected_errors} repaired, ${s.uncorrectable_errors} errors) and operation took ${hms(s.duration_seconds)}.`
    : 'No info';
  return { can_start: scrubbing ? 0 : 1, can_stop: scrubbing ? 1 : 0, info };
}

export function poolSummary(p: PoolView, owner: string) {
  return { pool_name: p.name, owner, pool_id: ngxId('pool', p.id) };
}

export function poolDetail(p: PoolView, owner: string, scrubbing: boolean) {
  return {
    ...poolSummary(p, owner),
    encryption: 0,
    stripe_len: p.disks.length,
    status: POOL_STATUS[p.health] ?? 'UNAVAIL',
    is_nvme: 0,
    raidtype: RAID_TYPE[p.profile] ?? p.profile,
    data: p.disks.map((d, i) => ({
      state: d.state === 'missing' || d.state === 'failed' ? 'UNAVAIL' : 'ONLINE',
      info: '',
      lunid: '',
      stripe_info: 'c-1',
      enclosure: `E1:S${d.devid ?? i + 1}`,
      disk: d.name,
    })),
    integrity: integrity(p, scrubbing),
  };
}

export interface CapacityFigures {
  size: number;
  used: number;
  free: number;
  allocated: number;
  compressRatio: number | null;
  dedupRatio: number;
  /** Bytes referenced by lun volumes, filesystem volumes, and replicas received. */
  iscsi: number;
  shares: number;
  replica: number;
  /** Sum of the volumes' sizes (what is promised). */
  reserved: number;
}

export function capacityInfo(c: CapacityFigures) {
  return {
    allocated_size: str(c.allocated),
    compress_ratio: (c.compressRatio ?? 1).toFixed(2),
    dedup_ratio: `${c.dedupRatio.toFixed(2)}x`,
    free_size: str(c.free),
    logical_avail: str(Math.max(0, c.size - c.reserved)),
    logical_reserved: str(c.reserved),
    total_size: str(c.size),
  };
}

export const protocolUsage = (c: CapacityFigures) => ({
  iscsi: str(c.iscsi),
  replica: str(c.replica),
  shares: str(c.shares),
});

// ---------------------------------------------------------------- luns and snapshots
export interface LunView {
  id: string;
  name: string;
  pool: string;
  size: number;
  used: number;
  thin: boolean;
  compression: string;
  block_size: number | null;
  origin_snapshot: string | null;
  snapshot_bytes: number;
  metadata: Record<string, string>;
}

/** The seed's LUN settings Cairn keeps but does not act on (the metadata bag), with NGX's defaults. */
export const LUN_SETTINGS = {
  deduplication: 'off',
  blocksize: '16k',
  flash_cache: 'on',
  dram_cache: 'on',
  io_type: 'transactional',
  qos_priority: '16',
} as const;
export const meta = (m: Record<string, string>, k: keyof typeof LUN_SETTINGS): string =>
  m[`ngx.${k}`] ?? LUN_SETTINGS[k];
/** The seed's settings Cairn keeps without acting on them, as metadata entries. */
export function keptSettings(
  b: Partial<Record<keyof typeof LUN_SETTINGS, string | number>>,
  base: Record<string, string> = {},
): Record<string, string> {
  const out = { ...base };
  for (const k of Object.keys(LUN_SETTINGS) as (keyof typeof LUN_SETTINGS)[])
    if (b[k] !== undefined) out[`ngx.${k}`] = String(b[k]);
  return out;
}

const blockBytes = (b: string): string => {
  const n = /^(\d+)k$/i.exec(b);
  return n ? String(Number(n[1]) * 1024) : b;
};

export function lunDetail(v: LunView, poolName: string, owner: string, target: string | null) {
  return {
    blocksize: blockBytes(meta(v.metadata, 'blocksize')),
    clone: v.origin_snapshot ? ngxId('snapshot', v.origin_snapshot) : '',
    dedup: meta(v.metadata, 'deduplication'),
    vol_size: str(v.size),
    pool_name: poolName,
    compress_ratio: '-',
    owner,
    vol_name: v.name,
    qos_priority: Number(meta(v.metadata, 'qos_priority')),
    vol_id: ngxId('volume', v.id),
    scsi_lunid: scsiLunId(v.id),
    vol_used: str(v.used),
    flash_cache: meta(v.metadata, 'flash_cache'),
    protocols: { fc: null, iscsi: target },
    dram_cache: meta(v.metadata, 'dram_cache'),
    compress: onOff(compressed(v.compression)),
    io_type: meta(v.metadata, 'io_type'),
    sizebysnapshots: str(v.snapshot_bytes),
    provision_type: v.thin ? 'thin' : 'full',
  };
}

export interface SnapView {
  id: string;
  name: string;
  volume: string;
  exclusive: number;
  clone_count: number;
  created_at: string;
}

export function snapshotDetail(s: SnapView, volName: string, poolName: string) {
  return {
    reserved: str(s.exclusive),
    pool_name: poolName,
    binded: s.clone_count > 0 ? 1 : 0,
    restore: 1,
    snap_name: s.name,
    snap_id: ngxId('snapshot', s.id),
    vol_name: volName,
    created: epoch(s.created_at),
  };
}

// ---------------------------------------------------------------- auth groups and shares
/** NGX group names are free text; a Cairn host name keeps letters, digits, `.`, `_` and `-`. */
export const hostName = (ngxName: string): string =>
  ngxName.replace(/[^A-Za-z0-9._-]/g, '_').replace(/^[._-]/, 'g');

/** NGX's "all" networks: every IPv4 and IPv6 address. */
const ALL_NETS = EVERY_ADDRESS;
/** `access_net`: "all", or networks and addresses separated by commas or spaces. */
export const allowedOf = (net: string | undefined): string[] =>
  !net || net.trim() === 'all' ? [...ALL_NETS] : net.split(/[\s,]+/).filter(Boolean);
export const accessNet = (allowed: string[]) =>
  allowed.join(',') === ALL_NETS.join(',') ? 'all' : allowed.join(',');
