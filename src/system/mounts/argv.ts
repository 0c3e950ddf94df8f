// Pure argv builders for mounting attached volumes: bind mounts, block devices, mkfs, blkid.
import type { LunFilesystem } from '../../domain/attachments.js';

export type Argv = readonly [string, ...string[]];

/** util-linux (2.27+) applies `-o ro` to a bind mount itself (bind, then remount read-only). */
export const bindArgv = (source: string, target: string, readOnly: boolean): Argv => [
  'mount',
  '--bind',
  ...(readOnly ? ['-o', 'ro'] : []),
  source,
  target,
];

export const mountDeviceArgv = (
  device: string,
  target: string,
  fs: LunFilesystem,
  readOnly: boolean,
): Argv => ['mount', '-t', fs, '-o', readOnly ? 'ro' : 'rw', device, target];

export const umountArgv = (target: string): Argv => ['umount', target];

/** Probes the device itself (-p), not blkid's cache; exit 2 means no signature. */
export const blkidTypeArgv = (device: string): Argv => ['blkid', '-p', '-o', 'value', '-s', 'TYPE', device];

export const mkfsArgv = (device: string, fs: LunFilesystem): Argv =>
  fs === 'xfs'
    ? ['mkfs.xfs', '-q', device]
    : ['mkfs.ext4', '-q', '-E', 'lazy_itable_init=1,lazy_journal_init=1', device];
