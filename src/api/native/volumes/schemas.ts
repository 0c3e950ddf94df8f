// Wire schemas of volumes: the entity, and create/update/rollback bodies derived from it.
import { Type } from '@sinclair/typebox';
import { NAME_PATTERN } from '../../../domain/names.js';
import {
  COMPRESSION_PATTERN,
  MAX_SNAPSHOT_LIMIT,
  MIN_VOLUME_SIZE,
  VOLUME_STATES,
} from '../../../domain/volumes.js';
import { Id, Wait } from '../common.js';
import { MAX_DISPLAY_NAME, MAX_LABEL_FILTERS, type Labels, type MapPatch } from '../../../domain/labels.js';

/** A string map (labels, metadata); keys and values are checked by the service (field codes). */
export const StringMap = (description: string) =>
  Type.Unsafe<Labels>({ type: 'object', additionalProperties: { type: 'string' }, description });
/** A merge patch of a string map: a string sets the key, null removes it, keys not named stay. */
export const StringMapPatch = (description: string) =>
  Type.Unsafe<MapPatch>({
    type: 'object',
    // One type list, not anyOf: with coerceTypes an anyOf would turn null into "" (or "" into null).
    additionalProperties: { type: ['string', 'null'] },
    description: `${description}; merge patch: a string sets a key, null removes it, keys not named stay`,
  });
// Length and characters are checked by the service (BAD_DISPLAY_NAME), like labels.
export const DisplayName = Type.String({
  description: `free text shown for the object, 1-${MAX_DISPLAY_NAME} characters (default: its name)`,
});
export const LabelsField = StringMap(
  'labels: keys of letters, digits, . _ - / : (filter lists with ?label=)',
);
export const LabelsPatch = StringMapPatch('labels');
const Metadata = StringMap('settings a product keeps about the volume: stored and returned, no effect');

/** `?label=key` or `?label=key=value`, repeatable, all must match. */
export const LabelQuery = {
  label: Type.Optional(
    Type.Union([Type.String(), Type.Array(Type.String(), { maxItems: MAX_LABEL_FILTERS })], {
      description: 'label=key or label=key=value; repeat it: every one must match',
    }),
  ),
};

const Name = Type.String({ pattern: NAME_PATTERN, description: 'unique in the pool; a label only' });
const Size = Type.Integer({
  minimum: MIN_VOLUME_SIZE,
  description: 'bytes: the quota of a filesystem volume, the size of a lun',
});
const Compression = Type.String({
  pattern: COMPRESSION_PATTERN,
  description: "inherit (the pool's), none, zstd, zstd:1..15, lzo, zlib, zlib:1..9",
});
const SnapshotLimit = Type.Integer({
  minimum: 0,
  maximum: MAX_SNAPSHOT_LIMIT,
  description: 'most snapshots kept',
});
const Dependent = Type.Object({ kind: Type.String(), id: Type.String(), read_write: Type.Boolean() });

export const Volume = Type.Object(
  {
    id: Type.String(),
    name: Type.String(),
    display_name: Type.String({ description: 'free text (the name unless set)' }),
    labels: LabelsField,
    metadata: Metadata,
    pool: Type.String(),
    type: Type.Union([Type.Literal('filesystem'), Type.Literal('lun')]),
    size: Type.Integer(),
    thin: Type.Boolean({ description: 'lun: sparse (true) or preallocated' }),
    block_size: Type.Union([Type.Integer(), Type.Null()], { description: 'lun block size (512 or 4096)' }),
    nocow: Type.Boolean({ description: 'copy-on-write off for the data' }),
    compression: Type.String(),
    snapshot_limit: Type.Integer(),
    state: Type.Union(VOLUME_STATES.map((s) => Type.Literal(s))),
    path: Type.String({ description: 'the volume’s subvolume on the node (a filesystem volume’s data)' }),
    lun_file: Type.Union([Type.String(), Type.Null()], { description: 'a lun’s data file' }),
    parent: Type.Union([Type.String(), Type.Null()], {
      description: 'a file-backed lun: the filesystem volume its data file is in',
    }),
    parent_path: Type.Union([Type.String(), Type.Null()], {
      description: 'a file-backed lun: its data file’s path inside the parent volume',
    }),
    used: Type.Integer({ description: 'bytes referenced (counted against a filesystem volume’s size)' }),
    referenced: Type.Integer(),
    exclusive: Type.Integer({ description: 'bytes only this volume holds (freed by deleting it)' }),
    sizes_at: Type.Union([Type.String(), Type.Null()], {
      description: 'when used/referenced/exclusive were read',
    }),
    origin_snapshot: Type.Union([Type.String(), Type.Null()], {
      description: 'the snapshot a clone came from',
    }),
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

export const VolumeCreate = Type.Object(
  {
    pool: Id,
    name: Name,
    type: Type.Union([Type.Literal('filesystem'), Type.Literal('lun')]),
    size: Size,
    thin: Type.Optional(Type.Boolean({ description: 'lun only: sparse (default) or preallocated' })),
    block_size: Type.Optional(
      Type.Union([Type.Literal(512), Type.Literal(4096)], { description: 'lun only' }),
    ),
    nocow: Type.Optional(Type.Boolean()),
    compression: Type.Optional(Compression),
    snapshot_limit: Type.Optional(SnapshotLimit),
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
    labels: Type.Optional(LabelsField),
    metadata: Type.Optional(Metadata),
  },
  { additionalProperties: false },
);

export const VolumeUpdate = Type.Object(
  {
    name: Type.Optional(Name),
    size: Type.Optional(Size),
    compression: Type.Optional(Compression),
    snapshot_limit: Type.Optional(SnapshotLimit),
    allow_shrink: Type.Optional(
      Type.Boolean({ description: 'lun: allow a smaller size (data past it is lost)' }),
    ),
    display_name: Type.Optional(DisplayName),
    labels: Type.Optional(LabelsPatch),
    metadata: Type.Optional(StringMapPatch('metadata (no effect on the volume)')),
  },
  { additionalProperties: false, minProperties: 1 },
);

export const Rollback = Type.Object(
  {
    snapshot: Id,
    keep_current: Type.Optional(Type.Boolean({ description: 'keep the pre-rollback state as a snapshot' })),
    force: Type.Optional(Type.Boolean({ description: 'even while exported read-write' })),
  },
  { additionalProperties: false },
);

export const DeleteQuery = Type.Object(
  {
    wait: Type.Optional(Wait),
    cascade: Type.Optional(Type.Boolean({ description: 'also remove exports, snapshots and clone links' })),
  },
  { additionalProperties: false },
);
