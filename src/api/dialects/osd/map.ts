// Pure mappers between Cairn and OpenStorage (OSD): OpenStorage's integer enums, `{seconds, nanos}`
// times, case-insensitive JSON keys (Go's encoding/json matches keys that way), a volume spec ↔
// Cairn's create input, and Cairn's volumes, snapshots, statistics, alerts and node as OSD objects.
// No I/O: the routes fetch, these shape.
import type { TSchema } from '@sinclair/typebox';
import type { FieldProblem } from '../../../domain/errors.js';
import type { Alert } from '../../../domain/monitor.js';
import type { Snapshot, Volume, VolumeState } from '../../../domain/volumes.js';
import type { LabelFilter } from '../../../domain/labels.js';
import { isValidName } from '../../../domain/names.js';

// ---------------------------------------------------------------- enums (api/api.proto)

/** VolumeState. */
export const VOLUME_STATE = {
  NONE: 0,
  PENDING: 1,
  AVAILABLE: 2,
  ATTACHED: 3,
  DETACHED: 4,
  DETATCHING: 5,
  ERROR: 6,
  DELETED: 7,
  TRY_DETACHING: 8,
  RESTORE: 9,
} as const;
/** VolumeStatus. */
export const VOLUME_STATUS = { NONE: 0, NOT_PRESENT: 1, UP: 2, DOWN: 3, DEGRADED: 4 } as const;
/** FSType. */
export const FS_TYPE = {
  NONE: 0,
  BTRFS: 1,
  EXT4: 2,
  FUSE: 3,
  NFS: 4,
  VFS: 5,
  XFS: 6,
  ZFS: 7,
  XFSv2: 8,
} as const;
export type FsName = keyof typeof FS_TYPE;
/** VolumeActionParam: attach/mount actions. */
export const ACTION = { NONE: 0, OFF: 1, ON: 2 } as const;
/** Status: the node's and the cluster's. */
export const STATUS = { NONE: 0, INIT: 1, OK: 2, OFFLINE: 3, ERROR: 4, MAINTENANCE: 7 } as const;
/** SeverityType. */
export const SEVERITY = { NONE: 0, ALARM: 1, WARNING: 2, NOTIFY: 3 } as const;
/** ResourceType. */
export const RESOURCE = { NONE: 0, VOLUME: 1, NODE: 2, CLUSTER: 3, DRIVE: 4 } as const;

/** The API version OpenStorage's clients ask for (`/v1/...`). */
export const OSD_API_VERSION = 'v1';

// ---------------------------------------------------------------- values

export interface OsdTime {
  seconds: number;
  nanos: number;
}

/** An ISO 8601 time as google.protobuf.Timestamp's JSON (`{seconds, nanos}`). */
export function osdTime(iso: string | null | undefined): OsdTime | undefined {
  if (!iso) return undefined;
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return undefined;
  const seconds = Math.floor(ms / 1000);
  return { seconds, nanos: (ms - seconds * 1000) * 1_000_000 };
}

/** An enum value as Go's client sends it (an integer), or by name (`FS_TYPE_EXT4`, `ext4`). */
export function enumValue<T extends Record<string, number>>(
  table: T,
  prefix: string,
  v: unknown,
): number | undefined {
  if (typeof v === 'number') return Object.values(table).includes(v) ? v : undefined;
  if (typeof v !== 'string') return undefined;
  if (/^[0-9]+$/.test(v)) return enumValue(table, prefix, Number(v));
  const name = v.toUpperCase().replace(new RegExp(`^${prefix}`), '');
  const key = Object.keys(table).find((k) => k.toUpperCase() === name);
  return key === undefined ? undefined : table[key];
}

/** An action value: ON/OFF/NONE as integers, names, or booleans. */
export function actionValue(v: unknown): number {
  if (v === true) return ACTION.ON;
  if (v === false) return ACTION.OFF;
  return enumValue(ACTION, 'VOLUME_ACTION_PARAM_', v) ?? ACTION.NONE;
}

// ---------------------------------------------------------------- case-insensitive keys

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Renames an object's keys to the schema's own spelling when they match it ignoring case (the
 * seed sends `"ID"` for `id`), recursively along the schema. Keys the schema does not name are
 * kept as they are (the schema refuses them); map values (Type.Record) keep their keys.
 */
export function canonicalKeys(value: unknown, schema: TSchema | undefined): unknown {
  if (!schema) return value;
  if (Array.isArray(value)) {
    const items = (schema as { items?: TSchema }).items;
    return items ? value.map((x) => canonicalKeys(x, items)) : value;
  }
  if (!isObject(value)) return value;
  const anyOf = (schema as { anyOf?: TSchema[] }).anyOf;
  if (anyOf)
    return canonicalKeys(
      value,
      anyOf.find((s) => (s as { type?: string }).type === 'object'),
    );
  const props = (schema as { properties?: Record<string, TSchema> }).properties;
  const patterns = (schema as { patternProperties?: Record<string, TSchema> }).patternProperties;
  if (!props) {
    if (!patterns) return value;
    const inner = Object.values(patterns)[0];
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, canonicalKeys(v, inner)]));
  }
  const byLower = new Map(Object.keys(props).map((k) => [k.toLowerCase(), k]));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    const name = byLower.get(k.toLowerCase()) ?? k;
    // An exact spelling wins over a case variant of the same key.
    if (name in out && k !== name) continue;
    out[name] = canonicalKeys(v, props[name]);
  }
  return out;
}

// ---------------------------------------------------------------- names and labels

/**
 * A Cairn name for an OSD name: the name itself when Cairn's rules allow it, else its allowed
 * characters with a unique suffix (OSD snapshot names like `v.snap-2017-02-27T21:15:12Z` have
 * colons). The OSD name is kept whole as the display name either way.
 */
export function cairnName(osdName: string, unique: string): string {
  if (isValidName(osdName)) return osdName;
  const safe = osdName.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^[^A-Za-z0-9]+/, '');
  return `${safe.slice(0, 63 - unique.length)}${safe ? '-' : 'osd-'}${unique}`.slice(0, 64);
}

/** OSD label filters (`{"k":"v"}`; an empty value matches any value) as Cairn's, ANDed in the store. */
export const labelFilters = (want: Record<string, string>): LabelFilter[] =>
  Object.entries(want).map(([key, value]) => (value === '' ? { key } : { key, value }));

/** Where the OSD dialect keeps a lun's asked filesystem in Cairn's metadata bag. */
export const FORMAT_KEY = 'osd.format';
/** …and the live volume a clone was made from (Cairn records only a snapshot origin). */
export const PARENT_KEY = 'osd.parent';

// ---------------------------------------------------------------- volume spec → Cairn

/** The part of OpenStorage's VolumeSpec that Cairn reads (the rest are hints it may ignore). */
export interface OsdSpec {
  size?: number;
  format?: unknown;
  block_size?: number;
  ha_level?: number;
  compressed?: boolean;
  encrypted?: boolean;
  shared?: boolean;
  sharedv4?: boolean;
  ephemeral?: boolean;
  snapshot_interval?: number;
  volume_labels?: Record<string, string>;
  [k: string]: unknown;
}

/** A Cairn volume to make from an OSD create request. */
export interface CairnCreate {
  type: 'filesystem' | 'lun';
  size: number;
  /** ext4 or xfs for a lun (formatted when first mounted). */
  fs: 'ext4' | 'xfs' | null;
  block_size?: 512 | 4096;
  compression?: string;
  labels: Record<string, string>;
}

/** Nodes that can hold a replica: this is one machine. */
export const NODE_COUNT = 1;

/**
 * Spec → Cairn create input, or every reason it cannot be made here. FS_TYPE_BTRFS makes a
 * filesystem volume (a btrfs subvolume, bind-mounted); none, ext4 and xfs make a lun formatted
 * on its first mount (OpenStorage volumes are block devices; ext4 is Portworx's default).
 */
export function specToCreate(
  spec: OsdSpec,
  locatorLabels: Record<string, string> | undefined,
): { input?: CairnCreate; problems: FieldProblem[] } {
  const problems: FieldProblem[] = [];
  const fmt = spec.format === undefined ? FS_TYPE.NONE : enumValue(FS_TYPE, 'FS_TYPE_', spec.format);
  if (fmt === undefined)
    problems.push({
      field: 'spec.format',
      code: 'BAD_VALUE',
      message: `unknown FSType ${String(spec.format)}`,
    });
  else if (![FS_TYPE.NONE, FS_TYPE.BTRFS, FS_TYPE.EXT4, FS_TYPE.XFS].includes(fmt as 0))
    problems.push({
      field: 'spec.format',
      code: 'NOT_SUPPORTED',
      message: `FSType ${fsName(fmt)} is not supported by Cairn (btrfs, ext4 or xfs)`,
    });
  if (!spec.size || spec.size <= 0)
    problems.push({ field: 'spec.size', code: 'REQUIRED', message: 'size in bytes is required' });
  const ha = spec.ha_level ?? 1;
  if (ha > NODE_COUNT)
    problems.push({
      field: 'spec.ha_level',
      code: 'NOT_ENOUGH_NODES',
      message: `ha_level ${ha} needs ${ha} nodes; this cluster has ${NODE_COUNT}`,
    });
  for (const f of ['encrypted', 'shared', 'sharedv4', 'ephemeral'] as const)
    if (spec[f])
      problems.push({
        field: `spec.${f}`,
        code: 'NOT_SUPPORTED',
        message: `${f} volumes are not supported by Cairn`,
      });
  if (problems.length) return { problems };
  const type = fmt === FS_TYPE.BTRFS ? 'filesystem' : 'lun';
  const input: CairnCreate = {
    type,
    size: spec.size!,
    fs: type === 'filesystem' ? null : fmt === FS_TYPE.XFS ? 'xfs' : 'ext4',
    labels: { ...(spec.volume_labels ?? {}), ...(locatorLabels ?? {}) },
  };
  // A lun's sector size; OSD's block_size is the filesystem's, which only 512/4096 can carry.
  if (type === 'lun' && (spec.block_size === 512 || spec.block_size === 4096))
    input.block_size = spec.block_size;
  if (spec.compressed !== undefined) input.compression = spec.compressed ? 'zstd' : 'none';
  return { input, problems };
}

export const fsName = (v: number): string =>
  Object.entries(FS_TYPE)
    .find(([, n]) => n === v)?.[0]
    .toLowerCase() ?? String(v);

/** The FSType a Cairn volume shows: btrfs for a filesystem volume, the lun's filesystem otherwise. */
export function fsTypeOf(v: { type: string }, lunFs: string | null | undefined): number {
  if (v.type === 'filesystem') return FS_TYPE.BTRFS;
  if (lunFs === 'xfs') return FS_TYPE.XFS;
  if (lunFs === 'ext4') return FS_TYPE.EXT4;
  return FS_TYPE.NONE;
}

// ---------------------------------------------------------------- Cairn → OSD objects

/** What a volume is attached as, from Cairn's attachments. */
export interface AttachView {
  device_path?: string | null;
  mount_path?: string | null;
}

/** What an OSD Volume needs beyond Cairn's volume. */
export interface VolumeContext {
  nodeId: string;
  attachments: AttachView[];
  labels?: Record<string, string>;
  displayName?: string | null;
  lunFs?: string | null;
  /** The live volume it was cloned from (kept by the dialect). */
  parent?: string | null;
}

const STATE_OF: Record<VolumeState, number> = {
  creating: VOLUME_STATE.PENDING,
  online: VOLUME_STATE.DETACHED,
  updating: VOLUME_STATE.PENDING,
  rolling_back: VOLUME_STATE.RESTORE,
  deleting: VOLUME_STATE.DELETED,
  error: VOLUME_STATE.ERROR,
};

export function volumeState(state: VolumeState, attached: boolean): number {
  if (state === 'online' && attached) return VOLUME_STATE.ATTACHED;
  return STATE_OF[state];
}

export function volumeStatus(state: VolumeState): number {
  if (state === 'error') return VOLUME_STATUS.DOWN;
  if (state === 'creating' || state === 'deleting') return VOLUME_STATUS.NOT_PRESENT;
  return VOLUME_STATUS.UP;
}

const drop = <T extends Record<string, unknown>>(o: T): T =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined && v !== null && v !== '')) as T;

/** OpenStorage's VolumeSpec for a Cairn volume. */
export function osdSpec(v: Volume, c: Pick<VolumeContext, 'labels' | 'lunFs'>) {
  const format = fsTypeOf(v, c.lunFs);
  return drop({
    size: v.size,
    format,
    block_size: v.block_size ?? 4096,
    ha_level: 1,
    cos: 1,
    aggregation_level: 1,
    compressed: v.compression !== 'none' && v.compression !== 'inherit' ? true : undefined,
    volume_labels: c.labels && Object.keys(c.labels).length ? c.labels : undefined,
  });
}

/** VolumeLocator: the name shown (display name) and the labels. */
const locator = (name: string, labels: Record<string, string> | undefined) =>
  drop({ name, volume_labels: labels && Object.keys(labels).length ? labels : undefined });

/** A Cairn volume as OpenStorage's Volume. */
export function osdVolume(v: Volume, c: VolumeContext) {
  const spec = osdSpec(v, c);
  const devices = c.attachments.map((a) => a.device_path).filter((d): d is string => !!d);
  const mounts = c.attachments.map((a) => a.mount_path).filter((m): m is string => !!m);
  const attached = c.attachments.length > 0;
  return drop({
    id: v.id,
    source: (v.origin_snapshot ?? c.parent) ? { parent: v.origin_snapshot ?? c.parent } : undefined,
    readonly: false,
    locator: locator(c.displayName ?? v.name, c.labels),
    ctime: osdTime(v.created_at),
    spec,
    usage: v.used,
    last_scan: osdTime(v.sizes_at ?? v.updated_at),
    format: spec.format,
    status: volumeStatus(v.state),
    state: volumeState(v.state, attached),
    attached_on: attached ? c.nodeId : undefined,
    device_path: devices[0],
    attach_path: mounts.length ? mounts : undefined,
    replica_sets: [{ nodes: [c.nodeId] }],
    runtime_state: [{ runtime_state: { RuntimeState: v.state === 'online' ? 'clean' : v.state } }],
    error: v.error ?? undefined,
  });
}

/** A Cairn snapshot as OpenStorage's Volume (read-only unless it was taken writable). */
export function osdSnapshotVolume(
  s: Snapshot,
  parent: Volume | null,
  c: { nodeId: string; labels?: Record<string, string>; displayName?: string | null; lunFs?: string | null },
) {
  const spec: Partial<ReturnType<typeof osdSpec>> = parent
    ? osdSpec(parent, { lunFs: c.lunFs })
    : { ha_level: 1 };
  return drop({
    id: s.id,
    source: { parent: s.volume },
    readonly: !s.writable,
    locator: locator(c.displayName ?? s.name, c.labels),
    ctime: osdTime(s.created_at),
    spec,
    usage: s.exclusive,
    last_scan: osdTime(s.sizes_at ?? s.created_at),
    format: spec.format,
    status: s.state === 'available' ? VOLUME_STATUS.UP : VOLUME_STATUS.NOT_PRESENT,
    state:
      s.state === 'available'
        ? VOLUME_STATE.DETACHED
        : s.state === 'creating'
          ? VOLUME_STATE.PENDING
          : VOLUME_STATE.DELETED,
    replica_sets: [{ nodes: [c.nodeId] }],
  });
}

// ---------------------------------------------------------------- statistics

/**
 * OpenStorage's Stats from Cairn's volume metrics: the block-layer counters of an attached lun's
 * device (the names the sampler gives disks); counters Cairn has not measured are 0.
 */
export function osdStats(metrics: Record<string, number>, used: number, intervalMs: number) {
  const m = (k: string, scale = 1) => Math.max(0, Math.round((metrics[k] ?? 0) * scale));
  return {
    reads: m('reads_total'),
    read_ms: m('read_time_seconds_total', 1000),
    read_bytes: m('read_bytes_total'),
    writes: m('writes_total'),
    write_ms: m('write_time_seconds_total', 1000),
    write_bytes: m('written_bytes_total'),
    io_progress: m('in_flight'),
    io_ms: m('io_time_seconds_total', 1000),
    bytes_used: Math.max(0, used),
    interval_ms: intervalMs,
  };
}

/** One bucket of a history series as OSD rows: each time with the metrics measured then. */
export function historyRows(
  series: { metric: string; points: { ts: string; avg?: number; value?: number; max?: number }[] }[],
) {
  const byTs = new Map<string, Record<string, number>>();
  for (const s of series)
    for (const p of s.points) {
      const row = byTs.get(p.ts) ?? {};
      row[s.metric] = p.avg ?? p.value ?? p.max ?? 0;
      byTs.set(p.ts, row);
    }
  return [...byTs.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([ts, metrics]) => ({ timestamp: osdTime(ts), ...metrics }));
}

// ---------------------------------------------------------------- alerts

/** OSD alert ids are int64: the first 13 hex digits of Cairn's UUID (52 bits, exact in JSON). */
export const alertNumber = (id: string): number => parseInt(id.replace(/-/g, '').slice(0, 13), 16);

const SEVERITY_OF: Record<string, number> = {
  critical: SEVERITY.ALARM,
  error: SEVERITY.ALARM,
  warning: SEVERITY.WARNING,
  info: SEVERITY.NOTIFY,
};
const RESOURCE_OF: Record<string, number> = {
  volume: RESOURCE.VOLUME,
  node: RESOURCE.NODE,
  system: RESOURCE.NODE,
  disk: RESOURCE.DRIVE,
  pool: RESOURCE.CLUSTER,
};

export function osdAlert(a: Alert) {
  return drop({
    id: alertNumber(a.id),
    severity: SEVERITY_OF[a.severity] ?? SEVERITY.NOTIFY,
    message: a.message,
    timestamp: osdTime(a.last_seen_at),
    resource_id: a.object_id,
    resource: RESOURCE_OF[a.object_type] ?? RESOURCE.NONE,
    cleared: a.state === 'cleared' || a.cleared_at !== null,
    unique_tag: a.rule,
    count: a.count,
    first_seen: osdTime(a.raised_at),
  });
}

/** `/v1/cluster/alerts/{resource}`: a ResourceType by number or name (`volume`, `node`...). */
export function resourceOf(s: string): number | undefined {
  return enumValue(RESOURCE, 'RESOURCE_TYPE_', s);
}

// ---------------------------------------------------------------- the node and the cluster

export interface NodeFacts {
  nodeId: string;
  clusterId: string;
  hostname: string;
  ip: string;
  maintenance: boolean;
  cpuPercent: number;
  memTotal: number;
  memFree: number;
  load1: number;
  startTime: string;
  now: string;
  osName: string;
  kernel: string;
  version: string;
  pools: { id: string; name: string; size: number; used: number; devices: string[]; online: boolean }[];
  allocated: number;
}

/** api.Node (Go field names, no JSON tags: `Id`, `Cpu`, `MemTotal`...) for this machine. */
export function osdNode(f: NodeFacts) {
  const total = f.pools.reduce((s, p) => s + p.size, 0);
  const used = f.pools.reduce((s, p) => s + p.used, 0);
  const resources: Record<string, unknown> = {};
  f.pools.forEach((p, i) => {
    resources[String(i + 1)] = {
      id: p.id,
      path: p.devices.join(','),
      online: p.online,
      size: p.size,
      used: p.used,
      rotation_speed: 'Unknown',
      last_scan: osdTime(f.now),
    };
  });
  return {
    Id: f.nodeId,
    SchedulerNodeName: f.hostname,
    Cpu: f.cpuPercent,
    CpuCores: 0,
    MemTotal: f.memTotal,
    MemUsed: f.memTotal - f.memFree,
    MemFree: f.memFree,
    Avgload: Math.round(f.load1),
    Status: f.maintenance ? STATUS.MAINTENANCE : STATUS.OK,
    GenNumber: Date.parse(f.startTime) * 1_000_000,
    Disks: null,
    Luns: {},
    Pools: f.pools.map((p, i) => ({
      ID: i,
      Cos: 1,
      Medium: 0,
      RaidLevel: '',
      TotalSize: p.size,
      Used: p.used,
      labels: { name: p.name },
    })),
    MgmtIp: f.ip,
    DataIp: f.ip,
    Timestamp: f.now,
    StartTime: f.startTime,
    Hostname: f.hostname,
    NodeData: {
      'STORAGE-INFO': {
        Resources: resources,
        ResourcesCount: f.pools.length,
        ResourcesLastScan: 'Resources Scan OK',
        Status: f.maintenance ? 'In Maintenance' : 'Up',
        TotalSize: total,
        LastError: '',
      },
      'STORAGE-RUNTIME': { TotalAllocated: f.allocated },
      storage_stats: {
        DiskTotal: total,
        DiskUtil: used,
        DiskAvail: Math.max(0, total - used),
        Cpu: f.cpuPercent,
        Memory: f.memTotal ? Math.round(((f.memTotal - f.memFree) / f.memTotal) * 100) : 0,
        PendingIo: 0,
      },
    },
    NodeLabels: { OS: f.osName, 'Kernel Version': f.kernel, 'Cairn Version': f.version },
  };
}

/** api.Cluster: one node, this machine. */
export function osdCluster(f: NodeFacts) {
  return {
    Id: f.clusterId,
    NodeId: f.nodeId,
    Status: f.maintenance ? STATUS.MAINTENANCE : STATUS.OK,
    Nodes: [osdNode(f)],
  };
}
