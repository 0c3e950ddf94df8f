// Pure argv builders for btrfs subvolumes, qgroups and properties, and for lun data files.
// Every path comes from src/system/paths.ts (built from ids); nothing here runs a program.

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

export const quotaEnableArgv = (mount: string) => ['btrfs', 'quota', 'enable', mount] as const;

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
