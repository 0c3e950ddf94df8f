// The btrfs adapter, one folder: the filesystem (pools: mkfs, mount, devices, balance, replace,
// scrub, usage), subvolumes (snapshots, qgroups, properties, lun files), send/receive streams; one
// argv module, the parsers, and one error table (errors.ts) for all three.
export * from './parse.js';
export type { QgroupRow, SubvolumeRow } from './parse-subvolume.js';
export { conditionOf, btrfsError, type BtrfsCondition, type BtrfsFamily } from './errors.js';
export { Btrfs, type Opts } from './filesystem.js';
export { Subvolumes } from './subvolume.js';
export { SendReceive, type SendStream, type SpawnStream } from './sendrecv.js';
