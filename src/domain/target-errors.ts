// Error codes for iSCSI targets and their LUNs; merged into the registry in errors.ts.
import type { ErrorSpec } from './error-spec.js';

export const TARGET_ERRORS = {
  TARGET_NOT_FOUND: { status: 404, message: 'target {id} does not exist' },
  TARGET_LUN_NOT_FOUND: { status: 404, message: 'target {id} has no LUN {lun}' },
  TARGET_IQN_TAKEN: { status: 409, message: 'a target named {iqn} already exists' },
  TARGET_LUN_TAKEN: { status: 409, message: 'target {id} already has a LUN {lun}' },
  TARGET_FULL: { status: 409, message: 'target {id} has no free LUN number (1 to 255)' },
  TARGET_HAS_LUNS: {
    status: 409,
    message: 'target {id} still maps {luns} LUN(s)',
    hint: 'remove its LUNs first, or pass ?force=true to unmap them with the target',
  },
  TARGET_BUSY: {
    status: 409,
    message: 'target {id} has {sessions} open initiator session(s)',
    hint: 'log the initiators out, or pass ?force=true',
  },
  TARGET_OF_EXPORT: {
    status: 409,
    message: 'target {id} is the view of iSCSI export {export}',
    hint: 'change or delete it through /api/v1/exports/{export}',
  },
  TARGET_NOT_READY: { status: 409, message: 'target {id} is busy with job {job}' },
  VOLUME_ALREADY_MAPPED: {
    status: 409,
    message: 'volume {volume} is already mapped as LUN {lun} of target {target}',
    hint: 'a volume is in one iSCSI place at a time: unmap it (or delete its iSCSI export) first',
  },
  TARGET_VOLUME_NOT_LUN: {
    status: 422,
    message: 'volume {volume} is a {type} volume; targets map lun volumes only',
  },
} as const satisfies Record<string, ErrorSpec>;
