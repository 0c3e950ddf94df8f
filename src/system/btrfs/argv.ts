// Pure argv builders for btrfs and the tools around it: the filesystem (mkfs, mount, devices,
// balance, replace, scrub, usage, stats, wipefs), subvolumes, qgroups and properties, lun data
// files, and send/receive. Every path comes from src/system/paths.ts (built from ids); nothing here
// runs a program.
import type { Profile } from '../../domain/storage.js';

export type Argv = [string, ...string[]];

export const mkfsArgv = (label: string, data: Profile, meta: Profile, devices: string[]): Argv => [
  'mkfs.btrfs',
  '-f',
  '-L',
  label,
  '-d',
  data,
  '-m',
  meta,
  ...devices,
];
export const wipefsArgv = (devices: string[]): Argv => ['wipefs', '-a', ...devices];
export const scanArgv = (devices: string[]): Argv => ['btrfs', 'device', 'scan', ...devices];
export const mountArgv = (device: string, target: string, options: string): Argv => [
  'mount',
  '-t',
  'btrfs',
  '-o',
  options,
  device,
  target,
];
export const remountArgv = (target: string, options: string): Argv => [
  'mount',
  '-o',
  `remount,${options}`,
  target,
];
export const umountArgv = (target: string): Argv => ['umount', target];
export const findmntArgv = (target: string): Argv => [
  'findmnt',
  '-n',
  '-o',
  'TARGET,SOURCE,OPTIONS',
  '--mountpoint',
  target,
];
export const quotaEnableArgv = (mnt: string): Argv => ['btrfs', 'quota', 'enable', mnt];
export const deviceAddArgv = (devices: string[], mnt: string): Argv => [
  'btrfs',
  'device',
  'add',
  '-f',
  ...devices,
  mnt,
];
/** Removes by devid (works for missing devices too) or by path. */
export const deviceRemoveArgv = (devs: (string | number)[], mnt: string): Argv => [
  'btrfs',
  'device',
  'remove',
  ...devs.map(String),
  mnt,
];
export const balanceStartArgv = (
  mnt: string,
  o: { dataConvert?: Profile; metadataConvert?: Profile; soft?: boolean; force?: boolean } = {},
): Argv => {
  const soft = o.soft ? ',soft' : '';
  const filters = [
    ...(o.dataConvert ? [`-dconvert=${o.dataConvert}${soft}`] : []),
    ...(o.metadataConvert ? [`-mconvert=${o.metadataConvert}${soft}`] : []),
  ];
  return [
    'btrfs',
    'balance',
    'start',
    ...(filters.length ? filters : ['--full-balance']),
    // -f skips the 10 s countdown for raid5/6 and allows reducing metadata redundancy.
    ...(o.force || filters.length ? ['-f'] : []),
    mnt,
  ];
};
export const balanceStatusArgv = (mnt: string): Argv => ['btrfs', 'balance', 'status', mnt];
export const balanceCancelArgv = (mnt: string): Argv => ['btrfs', 'balance', 'cancel', mnt];
/** `-B` foreground; `-f` overwrite the target's signatures; `-r` avoid reading the source when a mirror exists. */
export const replaceStartArgv = (
  source: string | number,
  target: string,
  mnt: string,
  avoidSource: boolean,
): Argv => [
  'btrfs',
  'replace',
  'start',
  '-B',
  '-f',
  ...(avoidSource ? ['-r'] : []),
  String(source),
  target,
  mnt,
];
export const replaceStatusArgv = (mnt: string): Argv => ['btrfs', 'replace', 'status', '-1', mnt];
export const replaceCancelArgv = (mnt: string): Argv => ['btrfs', 'replace', 'cancel', mnt];
export const resizeMaxArgv = (devid: number, mnt: string): Argv => [
  'btrfs',
  'filesystem',
  'resize',
  `${devid}:max`,
  mnt,
];
export const scrubStartArgv = (mnt: string): Argv => ['btrfs', 'scrub', 'start', '-B', '-d', '-R', mnt];
export const scrubStatusArgv = (mnt: string): Argv => ['btrfs', 'scrub', 'status', '-R', mnt];
export const scrubCancelArgv = (mnt: string): Argv => ['btrfs', 'scrub', 'cancel', mnt];
export const usageArgv = (mnt: string): Argv => ['btrfs', 'filesystem', 'usage', '-b', mnt];
export const dfArgv = (mnt: string): Argv => ['btrfs', '--format', 'json', 'filesystem', 'df', mnt];
export const showArgv = (target: string): Argv => ['btrfs', 'filesystem', 'show', '--raw', target];
export const statsArgv = (mnt: string): Argv => ['btrfs', '--format', 'json', 'device', 'stats', mnt];
export const statsResetArgv = (mnt: string): Argv => ['btrfs', 'device', 'stats', '-z', mnt];
export const duArgv = (dir: string): Argv => ['btrfs', 'filesystem', 'du', '-s', '--raw', dir];
export const syncArgv = (mnt: string): Argv => ['btrfs', 'filesystem', 'sync', mnt];

// Subvolumes, snapshots, qgroups and properties; lun data files.

export const subvolumeCreateArgv = (path: string) => ['btrfs', 'subvolume', 'create', path] as const;

export const snapshotArgv = (src: string, dst: string, readOnly: boolean) =>
  ['btrfs', 'subvolume', 'snapshot', ...(readOnly ? ['-r'] : []), src, dst] as const;

/** Deletes one or more subvolumes in one call (no commit wait: the cleaner drops them later). */
export const subvolumeDeleteArgv = (paths: readonly string[]) =>
  ['btrfs', 'subvolume', 'delete', ...paths] as const;

/** Waits until the given deleted subvolume ids (or all pending deletions) are fully dropped. */
export const subvolumeSyncArgv = (mount: string, ids: readonly number[] = []) =>
  ['btrfs', 'subvolume', 'sync', mount, ...ids.map(String)] as const;

export const subvolumeListArgv = (mount: string) => ['btrfs', 'subvolume', 'list', mount] as const;

export const rootIdArgv = (path: string) => ['btrfs', 'inspect-internal', 'rootid', path] as const;

/** Every qgroup of the filesystem with limits, in bytes (json output crashes in btrfs-progs 6.2). */
export const qgroupShowArgv = (mount: string) => ['btrfs', 'qgroup', 'show', '-re', '--raw', mount] as const;

/** Only the qgroups that affect `path` (its own 0/<id>). */
export const qgroupShowPathArgv = (path: string) =>
  ['btrfs', 'qgroup', 'show', '-reF', '--raw', path] as const;

/** Sets (bytes) or clears (null) the referenced limit of the subvolume at `path`. */
export const qgroupLimitArgv = (path: string, bytes: number | null) =>
  ['btrfs', 'qgroup', 'limit', bytes === null ? 'none' : String(bytes), path] as const;

/** Clears the limit of a qgroup by id (for snapshots found by the pool-wide scan). */
export const qgroupLimitIdArgv = (qgroupId: string, mount: string, bytes: number | null) =>
  ['btrfs', 'qgroup', 'limit', bytes === null ? 'none' : String(bytes), qgroupId, mount] as const;

export const qgroupDestroyArgv = (qgroupId: string, mount: string) =>
  ['btrfs', 'qgroup', 'destroy', qgroupId, mount] as const;

export const qgroupClearStaleArgv = (mount: string) => ['btrfs', 'qgroup', 'clear-stale', mount] as const;

export const setReadOnlyArgv = (path: string, ro: boolean) =>
  ['btrfs', 'property', 'set', '-ts', path, 'ro', ro ? 'true' : 'false'] as const;

/** '' resets the property, so new files follow the pool's mount option again. */
export const setCompressionArgv = (path: string, value: string) =>
  ['btrfs', 'property', 'set', path, 'compression', value] as const;

export const noCowArgv = (path: string) => ['chattr', '+C', path] as const;

export const fallocateArgv = (file: string, bytes: number) =>
  ['fallocate', '-l', String(bytes), file] as const;

export const truncateArgv = (file: string, bytes: number) => ['truncate', '-s', String(bytes), file] as const;

// Send and receive (byte streams, started by spawnStream).

/** `btrfs send [-p parent] <snapshot>`: a full stream, or only the changes since `parent`. */
export const sendArgv = (snapshot: string, parent: string | null) =>
  ['btrfs', 'send', '-q', ...(parent ? ['-p', parent] : []), snapshot] as const;

/** `btrfs receive -e <dir>`: -e ends at the stream's end marker, so a truncated stream is an error. */
export const receiveArgv = (dir: string) => ['btrfs', 'receive', '-e', dir] as const;
