// Wire schemas of attachments (a volume used on this machine).
import { Type } from '@sinclair/typebox';
import { LUN_FILESYSTEMS, REQUESTER_PATTERN } from '../../../domain/attachments.js';
import { StringEnum } from '../common.js';

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
    state: Type.String({ description: 'attaching, attached, detaching' }),
    created_at: Type.String(),
  },
  { $id: 'Attachment' },
);

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
