// Error codes for disks and pools; merged into the registry in errors.ts.
import type { ErrorSpec } from './error-spec.js';

export const STORAGE_ERRORS = {
  DISK_IN_USE: {
    status: 409,
    message: 'disk {id} is in use ({reason})',
    hint: 'remove it from its pool or unassign it as a spare first; a disk holding data (mounted, partitioned, a filesystem or other signature) is never taken: clear it yourself (e.g. wipefs -a) and rescan',
  },
  DISK_NOT_AVAILABLE: { status: 409, message: 'disk {id} cannot be used: it is {state}' },
  DISK_NOT_VIRTUAL: {
    status: 422,
    message: 'disk {id} is a physical disk; only virtual disks can be deleted',
  },
  POOL_NAME_TAKEN: { status: 409, message: 'a pool named {name} already exists' },
  POOL_NOT_READY: {
    status: 409,
    message: 'pool {id} is not mounted and usable (state {state}, health {health})',
  },
  POOL_HAS_VOLUMES: {
    status: 409,
    message: 'pool {id} holds {count} volume(s)',
    hint: 'delete the volumes first, or pass force=true to destroy them with the pool',
  },
  POOL_SPACE_INSUFFICIENT: {
    status: 422,
    message:
      'the remaining disks cannot hold the data of pool {id}: {missing_bytes} bytes are missing ({needed_bytes} needed, {available_bytes} available)',
    hint: 'free space or add a disk first',
  },
  POOL_PROFILE_INVALID: { status: 422, message: '{reason}' },
  POOL_FEATURE_UNSUPPORTED: { status: 422, message: '{feature} does not exist on btrfs: {reason}' },
  POOL_NO_SPACE: {
    status: 422,
    message: 'btrfs ran out of space during {operation}: {reason}',
    hint: 'free space or add a disk, then try again',
  },
  SCRUB_NOT_RUNNING: { status: 409, message: 'no scrub is running on pool {id}' },
} as const satisfies Record<string, ErrorSpec>;
