// Attachments: a volume used on this machine (a bind mount of a filesystem volume, a loop device
// over a lun's file, optionally formatted and mounted). Wire types, list spec and the pure rules
// for mount paths. No I/O here.
import { isAbsolute, normalize, relative, sep } from 'node:path';
import { listSpec } from './list.js';

export const LUN_FILESYSTEMS = ['ext4', 'xfs'] as const;
export type LunFilesystem = (typeof LUN_FILESYSTEMS)[number];
export const DEFAULT_LUN_FILESYSTEM: LunFilesystem = 'ext4';

/** One requester's use of a volume. Several requesters share one mount of the volume. */
export interface Attachment {
  id: string;
  volume_id: string;
  requester: string;
  read_only: boolean;
  /** Where the volume is mounted (null: a lun attached as a block device only). */
  mount_path: string | null;
  /** The loop device of an attached lun (null for a filesystem volume). */
  device_path: string | null;
  state: 'attaching' | 'attached' | 'detaching';
  created_at: string;
}

/** The one mount (and loop device) of a volume that its attachments share. */
export interface VolumeMount {
  volume_id: string;
  /** remounting: its mount path is changing in place (the loop device stays). */
  state: 'attaching' | 'mounted' | 'remounting' | 'detaching';
  volume_type: 'filesystem' | 'lun';
  /** The subvolume (filesystem volume) or the lun's data file. */
  source: string;
  mount_path: string | null;
  device_path: string | null;
  read_only: boolean;
  /** The job attaching, remounting or detaching it (null once done). */
  job_id: string | null;
}

export const REQUESTER_PATTERN = '^[A-Za-z0-9][A-Za-z0-9._:@/-]{0,127}$';

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
