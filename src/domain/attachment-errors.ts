// Error codes of attachments and maintenance mode; merged into the registry in errors.ts.
import type { ErrorSpec } from './error-spec.js';

export const ATTACHMENT_ERRORS = {
  ATTACHMENT_NOT_FOUND: { status: 404, message: 'attachment {id} does not exist' },
  ATTACHMENT_CONFLICT: {
    status: 409,
    message: 'volume {id} is already attached {what}; {reason}',
    hint: 'attach it the way it is attached (one mount per volume, shared by its requesters), or detach it first',
  },
  MOUNT_PATH_NOT_ALLOWED: {
    status: 422,
    message: 'mount path {path} {reason}',
    hint: 'the administrator sets the allowed mount roots with CAIRN_MOUNT_ROOTS',
  },
  MOUNT_PATH_BUSY: {
    status: 409,
    message: 'something is already mounted at {path}',
    hint: 'Cairn never mounts over an existing mount; choose another path',
  },
  LUN_FILESYSTEM_MISMATCH: {
    status: 422,
    message: 'lun {id} holds {found}, not {asked}',
    hint: 'a lun is formatted once; attach it with its filesystem, or leave fs out',
  },
  MAINTENANCE_MODE: {
    status: 409,
    message: 'the system is in maintenance mode: {what} is refused',
    hint: 'leave maintenance mode (POST /api/v1/system/maintenance {"enabled": false}) first',
  },
} as const satisfies Record<string, ErrorSpec>;
