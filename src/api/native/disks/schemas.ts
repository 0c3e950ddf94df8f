// Wire schemas of disks.
import { Type } from '@sinclair/typebox';
import { NAME_PATTERN } from '../../../domain/names.js';
import { DISK_STATES } from '../../../domain/storage.js';

export const Disk = Type.Object(
  {
    id: Type.String(),
    name: Type.String(),
    kind: Type.Union([Type.Literal('virtual'), Type.Literal('physical')], {
      description:
        'virtual: a sparse file in the data directory on a loop device; physical: a whole block device',
    }),
    state: Type.Union(DISK_STATES.map((s) => Type.Literal(s))),
    path: Type.Union([Type.String(), Type.Null()], {
      description: 'the block device now (loop numbers change across restarts)',
    }),
    size: Type.Integer({ description: 'bytes' }),
    model: Type.Union([Type.String(), Type.Null()]),
    vendor: Type.Union([Type.String(), Type.Null()], {
      description: 'from lsblk VENDOR (a virtio disk shows its PCI vendor id); null for loop devices',
    }),
    serial: Type.Union([Type.String(), Type.Null()]),
    wwn: Type.Union([Type.String(), Type.Null()]),
    rotational: Type.Boolean(),
    in_use: Type.Union([Type.String(), Type.Null()], {
      description: 'why the disk cannot be given to a pool, or null',
    }),
    pool_id: Type.Union([Type.String(), Type.Null()]),
    devid: Type.Union([Type.Integer(), Type.Null()], { description: 'btrfs device id inside its pool' }),
    created_at: Type.String(),
    updated_at: Type.String(),
  },
  { $id: 'Disk' },
);

export const DiskCreate = Type.Object(
  {
    size: Type.Integer({ minimum: 1, description: 'bytes (rounded down to 4 KiB); at least 128 MiB' }),
    name: Type.Optional(Type.String({ pattern: NAME_PATTERN })),
  },
  { additionalProperties: false },
);
