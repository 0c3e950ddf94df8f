// Error codes for volumes, snapshots and clones; merged into the registry in errors.ts.
import type { ErrorSpec } from './error-spec.js';

export const VOLUME_ERRORS = {
  VOLUME_NAME_TAKEN: { status: 409, message: 'pool {poolId} already has a volume named {name}' },
  VOLUME_FILE_BACKED: {
    status: 422,
    message: 'volume {id} is a file-backed lun (a file in volume {parent}): {what} is not possible',
  },
  VOLUME_NOT_READY: { status: 409, message: 'volume {id} is {state}', hint: 'wait for its job to finish' },
  VOLUME_IN_USE: {
    status: 409,
    message: 'volume {id} is used by {summary}',
    hint: 'remove them first, or delete with ?cascade=true',
  },
  VOLUME_HAS_CLONES: {
    status: 409,
    message: 'snapshots of volume {id} have clones: {clones}',
    hint: 'delete the clones first, or delete with ?cascade=true',
  },
  VOLUME_EXPORTED_READ_WRITE: {
    status: 409,
    message: 'volume {id} is exported read-write by {summary}',
    hint: 'remove the export or make it read-only, or pass "force": true',
  },
  VOLUME_SHRINK_BELOW_USED: {
    status: 422,
    message: 'volume {id} uses {used} bytes, more than the new size {size}',
  },
  VOLUME_SHRINK_NEEDS_FLAG: {
    status: 422,
    message: 'shrinking lun {id} from {from} to {to} bytes destroys data past the new end',
    hint: 'pass "allow_shrink": true',
  },
  SNAPSHOT_NAME_TAKEN: { status: 409, message: 'volume {volumeId} already has a snapshot named {name}' },
  SNAPSHOT_NOT_READY: { status: 409, message: 'snapshot {id} is {state}' },
  SNAPSHOT_HAS_CLONES: {
    status: 409,
    message: 'snapshot {id} has {count} clone(s): {clones}',
    hint: 'delete the clones first',
  },
  SNAPSHOT_HELD: { status: 409, message: 'snapshot {id} is held by {holds}' },
  SNAPSHOT_LIMIT_REACHED: {
    status: 422,
    message: 'volume {volumeId} already has {count} snapshots, its limit',
    hint: 'delete snapshots or raise the volume\u2019s snapshot_limit',
  },
  SNAPSHOT_OF_OTHER_VOLUME: {
    status: 422,
    message: 'snapshot {snapshotId} is not a snapshot of volume {id}',
  },
} as const satisfies Record<string, ErrorSpec>;
