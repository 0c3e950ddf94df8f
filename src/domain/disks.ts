// Disk rules: which block devices Cairn may offer, and whether a disk in no pool is free to take.
// Pure: the facts come from lsblk (devices, partitions, holders, mounts) and wipefs (on-disk
// signatures, which lsblk only reports where udev has probed them); the rule decides. The wire
// schemas (the disk, the virtual disk create body) are here too, the types the disk service takes.
import { Type, type Static } from '@sinclair/typebox';
import { NAME_PATTERN } from './names.js';
import { DISK_STATES, type DiskState } from './storage.js';

/** What lsblk says about a block device (and, in `children`, its partitions and holders). */
export interface BlockFacts {
  name: string;
  type: string;
  sizeBytes: number;
  readOnly: boolean;
  /** Filesystem or other signature type as lsblk knows it (null without udev's probe). */
  fstype: string | null;
  /** Partition table type as lsblk knows it (null without udev's probe). */
  pttype: string | null;
  /** Every place it is mounted (`[SWAP]` for active swap). */
  mountpoints: string[];
  children: BlockFacts[];
}

/**
 * What reading the disk's signatures gave: their types (wipefs --no-act, empty when the disk is
 * blank), or why they could not be read.
 */
export type SignatureProbe = { types: string[] } | { error: string };

/** Partition table types as libblkid (wipefs) names them. */
const PARTITION_TABLES = new Set([
  'dos',
  'gpt',
  'pmbr',
  'atari',
  'bsd',
  'mac',
  'sgi',
  'sun',
  'aix',
  'minix',
  'solaris',
  'ultrix',
]);

/** "an ext4", "a btrfs", "an LVM2_member" (an acronym is read letter by letter). */
const article = (w: string) =>
  (/^[A-Z]{2}/.test(w) ? /^[AEFHILMNORSX]/.test(w) : /^[aeiou]/i.test(w)) ? 'an' : 'a';

/** Every mount on the device or anything below it, as "mounted at /" or "loop0p1 mounted at /boot". */
function mounts(d: BlockFacts, top: string): string[] {
  const here = d.mountpoints.map((m) => {
    const what = m === '[SWAP]' ? 'used as swap' : `mounted at ${m}`;
    return d.name === top ? what : `${d.name} ${what}`;
  });
  return [...here, ...d.children.flatMap((c) => mounts(c, top))];
}

/**
 * Why a whole disk cannot be given to a pool, or null when it is free. A disk is not free when it
 * (or a partition or holder of it) is mounted or used as swap, when it has partitions or holders,
 * or when it carries a partition table or any signature (a filesystem, RAID or LVM member, an old
 * pool): making a pool on it would destroy what is there. A disk whose signatures could not be
 * read is not offered either.
 */
export function diskInUseReason(d: BlockFacts, probe: SignatureProbe): string | null {
  if (d.readOnly) return 'read-only';
  const mounted = mounts(d, d.name);
  if (mounted.length) return mounted.join(', ');
  const parts = d.children.filter((c) => c.type === 'part');
  if (parts.length) return `partitioned (${parts.map((c) => c.name).join(', ')})`;
  if (d.children.length) return `held by ${d.children.map((c) => c.name).join(', ')}`;
  if (d.pttype) return `has ${article(d.pttype)} ${d.pttype} partition table`;
  if ('error' in probe) return `its signatures could not be read (${probe.error})`;
  const types = [...new Set([...(d.fstype ? [d.fstype] : []), ...probe.types])];
  const tables = types.filter((t) => PARTITION_TABLES.has(t.toLowerCase()));
  if (tables.length) return `has ${article(tables[0]!)} ${tables.join(', ')} partition table`;
  if (types.length) return `has ${article(types[0]!)} ${types.join(', ')} signature`;
  if (d.sizeBytes === 0) return 'empty (size 0)';
  return null;
}

/** The state of a disk in no pool: `in_use` when something is on it, otherwise `unused`. */
export const unassignedDiskState = (inUse: string | null): Extract<DiskState, 'unused' | 'in_use'> =>
  inUse ? 'in_use' : 'unused';

/** States a disk in no pool moves between as rescans find something on it or not. */
export const UNASSIGNED_DISK_STATES: readonly DiskState[] = ['unused', 'in_use'];

/** Whole disks Cairn may offer: not loop (virtual disks are our own), RAM or optical devices. */
export const isCandidateDisk = (d: Pick<BlockFacts, 'type' | 'name'>): boolean =>
  d.type === 'disk' && !/^(zram|ram|loop|sr)/.test(d.name);

// ---- Wire schemas: the disk, and the body that makes a virtual one.

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
/** A disk as the API shows it. */
export type Disk = Static<typeof Disk>;

export const DiskCreate = Type.Object(
  {
    size: Type.Integer({ minimum: 1, description: 'bytes (rounded down to 4 KiB); at least 128 MiB' }),
    name: Type.Optional(Type.String({ pattern: NAME_PATTERN })),
  },
  { additionalProperties: false },
);
export type DiskCreate = Static<typeof DiskCreate>;
