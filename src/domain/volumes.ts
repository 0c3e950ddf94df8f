// Volumes, snapshots and clones: wire types, rules and list specs. Pure: no I/O.
import type { FieldProblem } from './errors.js';
import { isValidName } from './names.js';
import { listSpec } from './list.js';
import { displayNameProblems, labelProblems, type Labels } from './labels.js';

/**
 * A file-backed lun's path inside its parent volume: relative, segments of letters, digits, `_`,
 * `.` and `-` that do not start with `.` (so never `.` or `..`), at most 16 deep.
 */
export const FILE_LUN_PATH_RE =
  /^[A-Za-z0-9_][A-Za-z0-9._-]{0,127}(\/[A-Za-z0-9_][A-Za-z0-9._-]{0,127}){0,15}$/;

export const VOLUME_TYPES = ['filesystem', 'lun'] as const;
export type VolumeType = (typeof VOLUME_TYPES)[number];
export const VOLUME_STATES = ['creating', 'online', 'updating', 'rolling_back', 'deleting', 'error'] as const;
export type VolumeState = (typeof VOLUME_STATES)[number];
export const SNAPSHOT_STATES = ['creating', 'available', 'deleting'] as const;
export type SnapshotState = (typeof SNAPSHOT_STATES)[number];
export const BLOCK_SIZES = [512, 4096] as const;

/** 'inherit' follows the pool's compression (the btrfs property is reset). */
export const COMPRESSION_PATTERN = '^(inherit|none|zstd|zstd:([1-9]|1[0-5])|lzo|zlib|zlib:[1-9])$';
const COMPRESSION_RE = new RegExp(COMPRESSION_PATTERN);

/** Smallest volume: btrfs needs a few metadata blocks even for an empty subvolume. */
export const MIN_VOLUME_SIZE = 1024 * 1024;
export const MAX_VOLUME_SIZE = 2 ** 53 - 1;
export const DEFAULT_SNAPSHOT_LIMIT = 1000;
export const MAX_SNAPSHOT_LIMIT = 100_000;

/** The btrfs property value for a compression setting. */
export const compressionProperty = (c: string): string => (c === 'inherit' ? '' : c);

export interface VolumeInput {
  name?: string;
  type?: string;
  size?: number;
  block_size?: number;
  compression?: string;
  snapshot_limit?: number;
}

/** Field rules shared by create, update and clone; returns every problem. */
export function volumeProblems(v: VolumeInput): FieldProblem[] {
  const p: FieldProblem[] = [];
  if (v.name !== undefined && !isValidName(v.name))
    p.push({
      field: 'name',
      code: 'BAD_NAME',
      message: '1-64 characters: letters, digits, . _ -, starting with a letter or digit',
    });
  if (v.size !== undefined) {
    if (!Number.isSafeInteger(v.size) || v.size < MIN_VOLUME_SIZE)
      p.push({ field: 'size', code: 'TOO_SMALL', message: `size must be at least ${MIN_VOLUME_SIZE} bytes` });
    else if (v.type === 'lun' && v.block_size && v.size % v.block_size !== 0)
      p.push({
        field: 'size',
        code: 'NOT_ALIGNED',
        message: `a lun's size must be a multiple of its block size ${v.block_size}`,
      });
  }
  if (v.compression !== undefined && !COMPRESSION_RE.test(v.compression))
    p.push({
      field: 'compression',
      code: 'BAD_COMPRESSION',
      message: 'one of inherit, none, zstd, zstd:1..15, lzo, zlib, zlib:1..9',
    });
  if (v.snapshot_limit !== undefined && (v.snapshot_limit < 0 || v.snapshot_limit > MAX_SNAPSHOT_LIMIT))
    p.push({
      field: 'snapshot_limit',
      code: 'OUT_OF_RANGE',
      message: `snapshot_limit must be from 0 to ${MAX_SNAPSHOT_LIMIT}`,
    });
  return p;
}

/** A new volume's name, display name and labels (a clone of a snapshot or of a live volume). */
export interface CloneInput {
  name: string;
  display_name?: string;
  labels?: Labels;
}

/** Name, display name and labels of a new object (volume, snapshot, clone), checked together. */
export function newObjectProblems(input: { name?: string; display_name?: string; labels?: Labels }) {
  return [
    ...(input.name !== undefined ? volumeProblems({ name: input.name }) : []),
    ...displayNameProblems(input.display_name),
    ...labelProblems(input.labels ?? {}),
  ];
}

/** A generated snapshot name: `snap-20240101T120000Z-ab12` (sortable, unique in practice). */
export function generatedSnapshotName(now: Date, suffix: string): string {
  const t = now
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
  return `snap-${t}-${suffix}`;
}

/** Something hanging off a volume (an export, a replication relationship). */
export interface VolumeDependent {
  kind: string;
  id: string;
  read_write: boolean;
}

export interface Volume {
  id: string;
  name: string;
  /** Free text for people and products (the name unless set). */
  display_name: string;
  labels: Labels;
  /** Settings a product keeps about the volume; Cairn stores and returns them and acts on none. */
  metadata: Labels;
  pool: string;
  type: VolumeType;
  size: number;
  thin: boolean;
  block_size: number | null;
  nocow: boolean;
  compression: string;
  snapshot_limit: number;
  state: VolumeState;
  /** The volume's subvolume on this node (a filesystem volume's data root). */
  path: string;
  /** A lun's data file. */
  lun_file: string | null;
  /** A file-backed lun: the filesystem volume holding its data file, and the path inside it. */
  parent: string | null;
  parent_path: string | null;
  /** Bytes the volume references (what counts against a filesystem volume's size). */
  used: number;
  referenced: number;
  exclusive: number;
  sizes_at: string | null;
  origin_snapshot: string | null;
  snapshot_count: number;
  exports: VolumeDependent[];
  dependents: VolumeDependent[];
  /** Requesters using the volume on this machine (attachments). */
  attachments: number;
  error: string | null;
  created_at: string;
  updated_at: string;
}

export interface Snapshot {
  id: string;
  name: string;
  display_name: string;
  labels: Labels;
  volume: string;
  pool: string;
  state: SnapshotState;
  path: string;
  referenced: number;
  exclusive: number;
  sizes_at: string | null;
  clone_count: number;
  holds: string[];
  created_at: string;
  /** Taken without the read-only flag: its files can be changed (OpenStorage's writable snapshots). */
  writable: boolean;
}

export const VOLUME_LIST = listSpec({
  fields: {
    id: { column: 'id', type: 'string', filterable: true },
    name: { column: 'name', type: 'string', filterable: true, sortable: true },
    display_name: { column: 'display_name', type: 'string', filterable: true, sortable: true },
    pool: { column: 'pool_id', type: 'string', filterable: true, sortable: true },
    type: { column: 'type', type: 'string', filterable: true, sortable: true },
    state: { column: 'state', type: 'string', filterable: true, sortable: true },
    size: { column: 'size', type: 'integer', filterable: true, sortable: true },
    // `used` on the wire is the bytes the volume references (see the service's toItem).
    used: { column: 'referenced', type: 'integer', filterable: true, sortable: true },
    compression: { column: 'compression', type: 'string', filterable: true },
    origin_snapshot: { column: 'origin_snapshot_id', type: 'string', filterable: true },
    created_at: { column: 'created_at', type: 'time', filterable: true, sortable: true },
  },
  defaultSort: 'created_at',
  tieBreaker: 'id',
});

export const SNAPSHOT_LIST = listSpec({
  fields: {
    id: { column: 'id', type: 'string', filterable: true },
    name: { column: 'name', type: 'string', filterable: true, sortable: true },
    display_name: { column: 'display_name', type: 'string', filterable: true, sortable: true },
    volume: { column: 'volume_id', type: 'string', filterable: true, sortable: true },
    pool: { column: 'pool_id', type: 'string', filterable: true, sortable: true },
    state: { column: 'state', type: 'string', filterable: true, sortable: true },
    exclusive: { column: 'exclusive', type: 'integer', filterable: true, sortable: true },
    referenced: { column: 'referenced', type: 'integer', filterable: true, sortable: true },
    created_at: { column: 'created_at', type: 'time', filterable: true, sortable: true },
  },
  defaultSort: 'created_at',
  tieBreaker: 'id',
});
