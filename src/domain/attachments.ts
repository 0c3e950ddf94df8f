// Attachments: a volume used on this machine (a bind mount of a filesystem volume, a loop device
// over a lun's file, optionally formatted and mounted). Wire schemas (whose `Static<>` types the
// attachment service takes), list spec and the pure rules for mount paths. No I/O here.
import { isAbsolute, normalize, relative, sep } from 'node:path';
import { Type, type Static } from '@sinclair/typebox';
import { listSpec } from './list.js';
import { StringEnum } from './wire.js';

export const LUN_FILESYSTEMS = ['ext4', 'xfs'] as const;
export type LunFilesystem = (typeof LUN_FILESYSTEMS)[number];
export const DEFAULT_LUN_FILESYSTEM: LunFilesystem = 'ext4';

/** The one mount (and loop device) of a volume that its attachments share. */
export interface VolumeMount {
  volumeId: string;
  /** remounting: its mount path is changing in place (the loop device stays). */
  state: 'attaching' | 'mounted' | 'remounting' | 'detaching';
  volumeType: 'filesystem' | 'lun';
  /** The subvolume (filesystem volume) or the lun's data file. */
  source: string;
  mountPath: string | null;
  devicePath: string | null;
  readOnly: boolean;
  /** The job attaching, remounting or detaching it (null once done). */
  jobId: string | null;
}

export const REQUESTER_PATTERN = '^[A-Za-z0-9][A-Za-z0-9._:@/-]{0,127}$';

// ---- Wire schemas: the attachment, and the attach and mount-change bodies.

export const Attachment = Type.Object(
  {
    id: Type.String(),
    volume_id: Type.String(),
    requester: Type.String({ description: 'who uses the volume (a container, a host, a tool)' }),
    read_only: Type.Boolean(),
    mount_path: Type.Union([Type.String(), Type.Null()], {
      description: 'where the volume is mounted; null for a lun attached as a block device only',
    }),
    device_path: Type.Union([Type.String(), Type.Null()], {
      description: "a lun's loop device (/dev/loopN); null for a filesystem volume",
    }),
    // The wire names the states in words (no enum); the record's type is their union.
    state: Type.Unsafe<'attaching' | 'attached' | 'detaching'>(
      Type.String({ description: 'attaching, attached, detaching' }),
    ),
    created_at: Type.String(),
  },
  { $id: 'Attachment' },
);
/** One requester's use of a volume. Several requesters share one mount of the volume. */
export type Attachment = Static<typeof Attachment>;

const MountPath = (description: string) => Type.String({ minLength: 2, maxLength: 1024, description });

const Fs = () =>
  StringEnum(LUN_FILESYSTEMS, {
    description: 'a lun mounted for the first time is formatted with it (default ext4); formatted once',
  });

export const AttachmentCreate = Type.Object(
  {
    requester: Type.String({ pattern: REQUESTER_PATTERN, description: 'who uses the volume' }),
    mount_path: Type.Optional(
      MountPath(
        'absolute path inside an allowed mount root (CAIRN_MOUNT_ROOTS); default: a filesystem volume is mounted at <data>/mounts/<volume id>, a lun only attached as a device',
      ),
    ),
    read_only: Type.Optional(Type.Boolean({ description: 'default false' })),
    mount: Type.Optional(
      Type.Boolean({
        description:
          'without mount_path, mount a lun too, at <data>/mounts/<volume id> (a filesystem volume always is); default false',
      }),
    ),
    fs: Type.Optional(Fs()),
  },
  { additionalProperties: false },
);
export type AttachmentCreate = Static<typeof AttachmentCreate>;

export const AttachmentMountChange = Type.Object(
  {
    mount_path: Type.Union(
      [
        MountPath('absolute path inside an allowed mount root (CAIRN_MOUNT_ROOTS)'),
        Type.Null({
          description:
            "null: a lun keeps only its loop device; a filesystem volume goes back to Cairn's own path",
        }),
      ],
      { description: "where the volume's one mount moves, in place (the loop device stays)" },
    ),
    fs: Type.Optional(Fs()),
  },
  { additionalProperties: false },
);
/** Where an attachment's volume is to be mounted now (null: a lun as a block device only). */
export type AttachmentMountChange = Static<typeof AttachmentMountChange>;

export const ATTACHMENT_LIST = listSpec({
  fields: {
    id: { column: 'id', type: 'string', filterable: true },
    volume_id: { column: 'volume_id', type: 'string', filterable: true, sortable: true },
    requester: { column: 'requester', type: 'string', filterable: true, sortable: true },
    state: { column: 'state', type: 'string', filterable: true },
    created_at: { column: 'created_at', type: 'time', filterable: true, sortable: true },
  },
  defaultSort: 'created_at',
  tieBreaker: 'id',
});

/**
 * The mount root a requested mount path lies strictly inside, or why it may not be used. Pure:
 * symlinks and existing mounts are checked against the machine by the service through adapters.
 */
export function mountRootOf(
  path: string,
  roots: readonly string[],
): { root: string; segments: string[] } | { problem: string } {
  if (!isAbsolute(path)) return { problem: 'must be an absolute path' };
  if (path.length > 1024) return { problem: 'is longer than 1024 characters' };
  if (path.split('/').some((s) => s === '..' || s === '.'))
    return { problem: 'must not contain . or .. segments' };
  const clean = normalize(path).replace(/\/+$/, '');
  for (const r of roots) {
    const root = normalize(r).replace(/\/+$/, '');
    const rel = relative(root, clean);
    if (rel && !rel.startsWith('..') && !isAbsolute(rel)) return { root, segments: rel.split(sep) };
  }
  return { problem: `is not inside an allowed mount root (${roots.join(', ')})` };
}
