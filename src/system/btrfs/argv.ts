// Pure argv builders for pool-level btrfs commands (mkfs, mount, devices, balance, replace, scrub,
// usage, stats, wipefs). Subvolumes, snapshots, qgroups and send/receive live in system/subvolumes.
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
