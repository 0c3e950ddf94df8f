// Volumes, snapshots and clones: wire schemas (entity, create, update), rules and list specs. Pure: no I/O.
import type { FieldProblem } from './errors.js';
import { isValidName, NAME_PATTERN } from './names.js';
import { listSpec } from './list.js';
import { Type, type Static, type TSchema } from '@sinclair/typebox';
import { displayNameProblems, labelProblems, type Labels } from './labels.js';
import { DisplayName, Id, LabelsField, LabelsPatch, OneOf, StringMap, StringMapPatch } from './wire.js';

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
/** A file-backed lun made without a size: 1 GiB (its file is sparse). */
export const FILE_LUN_DEFAULT_SIZE = 1024 ** 3;

/**
 * The size a volume created without one gets (the native API always names one; a service caller,
 * such as a dialect, may leave it out): a filesystem volume is limited only by its pool (`'pool'`:
 * the pool's size), a file-backed lun (a lun with a parent) is FILE_LUN_DEFAULT_SIZE, and a lun of
 * its own has none (`null`: its size is required).
 */
export function defaultVolumeSize(v: { type: VolumeType; parent?: string }): number | 'pool' | null {
  if (v.type === 'filesystem') return 'pool';
  return v.parent !== undefined ? FILE_LUN_DEFAULT_SIZE : null;
}
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
  // The native schema allows only these; a dialect carries its product's block size as a number.
  if (v.block_size !== undefined && !(BLOCK_SIZES as readonly number[]).includes(v.block_size))
    p.push({ field: 'block_size', code: 'BAD_BLOCK_SIZE', message: 'a lun block size is 512 or 4096' });
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

// ---- Wire schemas: the entity of each resource, and its create/update bodies derived from it.

const Name = Type.String({ pattern: NAME_PATTERN, description: 'unique in the pool; a label only' });
const Nullable = <T extends TSchema>(t: T, description: string) =>
  Type.Union([t, Type.Null()], { description });
const Metadata = StringMap('settings a product keeps about the volume: stored and returned, no effect');

/** Something hanging off a volume (an export, a replication relationship). */
const Dependent = Type.Object({ kind: Type.String(), id: Type.String(), read_write: Type.Boolean() });
export type VolumeDependent = Static<typeof Dependent>;

export const Volume = Type.Object(
  {
    id: Type.String(),
    name: Name,
    display_name: Type.String({ description: 'free text (the name unless set)' }),
    labels: LabelsField,
    metadata: Metadata,
    pool: Id,
    type: OneOf(VOLUME_TYPES),
    size: Type.Integer({
      minimum: MIN_VOLUME_SIZE,
      description: 'bytes: the quota of a filesystem volume, the size of a lun',
    }),
    thin: Type.Boolean({ description: 'lun: sparse (true, the default) or preallocated' }),
    block_size: Nullable(Type.Integer(), 'lun block size (512 or 4096)'),
    nocow: Type.Boolean({ description: 'copy-on-write off for the data' }),
    compression: Type.String({
      pattern: COMPRESSION_PATTERN,
      description: "inherit (the pool's), none, zstd, zstd:1..15, lzo, zlib, zlib:1..9",
    }),
    snapshot_limit: Type.Integer({
      minimum: 0,
      maximum: MAX_SNAPSHOT_LIMIT,
      description: 'most snapshots kept',
    }),
    state: OneOf(VOLUME_STATES),
    path: Type.String({ description: 'the volume’s subvolume on the node (a filesystem volume’s data)' }),
    lun_file: Nullable(Type.String(), 'a lun’s data file'),
    parent: Nullable(Type.String(), 'a file-backed lun: the filesystem volume its data file is in'),
    parent_path: Nullable(Type.String(), 'a file-backed lun: its data file’s path inside the parent volume'),
    used: Type.Integer({ description: 'bytes referenced (counted against a filesystem volume’s size)' }),
    referenced: Type.Integer(),
    exclusive: Type.Integer({ description: 'bytes only this volume holds (freed by deleting it)' }),
    sizes_at: Nullable(Type.String(), 'when used/referenced/exclusive were read'),
    origin_snapshot: Nullable(Type.String(), 'the snapshot a clone came from'),
    snapshot_count: Type.Integer(),
    exports: Type.Array(Dependent),
    dependents: Type.Array(Dependent, { description: 'exports, replication relationships, attachments…' }),
    attachments: Type.Integer({
      description: 'how many requesters use the volume on this machine (GET /api/v1/attachments?volume_id=)',
    }),
    error: Type.Union([Type.String(), Type.Null()]),
    created_at: Type.String(),
    updated_at: Type.String(),
  },
  { $id: 'Volume' },
);
export type Volume = Static<typeof Volume>;

/** A new volume: its pool, name, type and size, and optional settings (the entity's fields). */
export const VolumeCreate = Type.Composite(
  [
    Type.Pick(Volume, ['pool', 'name', 'type', 'size']),
    Type.Partial(Type.Pick(Volume, ['thin', 'nocow', 'compression', 'snapshot_limit', 'labels', 'metadata'])),
    Type.Object({
      block_size: Type.Optional(
        Type.Union([Type.Literal(512), Type.Literal(4096)], { description: 'lun only' }),
      ),
      parent: Type.Optional(
        Type.String({ description: 'lun only: a filesystem volume of the pool to keep the data file in' }),
      ),
      parent_path: Type.Optional(
        Type.String({
          maxLength: 2048,
          description:
            'with parent: the data file’s relative path in it (made sparse if missing, kept if there)',
        }),
      ),
      display_name: Type.Optional(DisplayName),
    }),
  ],
  { additionalProperties: false },
);
export type VolumeCreate = Static<typeof VolumeCreate>;

/**
 * A change: any of name, size, compression and snapshot limit (a job), display name, labels and
 * metadata (recorded at once; labels and metadata as merge patches).
 */
export const VolumeUpdate = Type.Composite(
  [
    Type.Partial(Type.Pick(Volume, ['name', 'size', 'compression', 'snapshot_limit'])),
    Type.Object({
      allow_shrink: Type.Optional(
        Type.Boolean({ description: 'lun: allow a smaller size (data past it is lost)' }),
      ),
      display_name: Type.Optional(DisplayName),
      labels: Type.Optional(LabelsPatch),
      metadata: Type.Optional(StringMapPatch('metadata (no effect on the volume)')),
    }),
  ],
  { additionalProperties: false, minProperties: 1 },
);
export type VolumeUpdate = Static<typeof VolumeUpdate>;

export const Snapshot = Type.Object(
  {
    id: Type.String(),
    name: Type.String({ pattern: NAME_PATTERN }),
    display_name: Type.String({ description: 'free text (the name unless set)' }),
    labels: LabelsField,
    volume: Type.String(),
    pool: Type.String(),
    state: OneOf(SNAPSHOT_STATES),
    path: Type.String({ description: 'the read-only snapshot on the node' }),
    referenced: Type.Integer(),
    exclusive: Type.Integer({ description: 'bytes only this snapshot holds (freed by deleting it)' }),
    sizes_at: Nullable(Type.String(), 'when the sizes were read'),
    clone_count: Type.Integer({ description: 'volumes cloned from it; it cannot be deleted while > 0' }),
    holds: Type.Array(Type.String(), { description: 'who keeps it from deletion (e.g. replication)' }),
    created_at: Type.String(),
    writable: Type.Boolean({
      description: 'taken without the read-only flag: its files can be changed (false: read-only)',
    }),
    clones: Type.Optional(Type.Array(Type.String(), { description: 'ids of its clones (single reads)' })),
  },
  { $id: 'Snapshot' },
);
export type Snapshot = Static<typeof Snapshot>;

/** A new snapshot: every field optional (the name is generated when absent). */
export const SnapshotCreate = Type.Composite(
  [
    Type.Partial(Type.Pick(Snapshot, ['name', 'labels'])),
    Type.Object({
      display_name: Type.Optional(DisplayName),
      writable: Type.Optional(
        Type.Boolean({
          description:
            'take it without the read-only flag (default false): it can be restored and cloned like any, not replicated',
        }),
      ),
    }),
  ],
  { additionalProperties: false },
);
export type SnapshotCreate = Static<typeof SnapshotCreate>;

export const SnapshotUpdate = Type.Object(
  { display_name: Type.Optional(DisplayName), labels: Type.Optional(LabelsPatch) },
  { additionalProperties: false, minProperties: 1 },
);
export type SnapshotUpdate = Static<typeof SnapshotUpdate>;

/** A new volume from a snapshot or from a live volume: its name, display name and labels. */
export const CloneCreate = Type.Composite(
  [
    Type.Pick(Volume, ['name']),
    Type.Partial(Type.Pick(Volume, ['labels'])),
    Type.Object({ display_name: Type.Optional(DisplayName) }),
  ],
  { additionalProperties: false },
);
export type CloneInput = Static<typeof CloneCreate>;

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
