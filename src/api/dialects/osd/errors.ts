// Cairn error codes → what OpenStorage's REST server answers, by one table. Its server passes
// its SDK's gRPC errors on as text (`rpc error: code = NotFound desc = …`), either in the
// response's `volume_response.error` (create, set, delete, snapshot, restore: HTTP 200) or as
// the body of an HTTP error (the others); its Go client reads either as the error's message.
import type { ErrorCode } from '../../../domain/errors.js';

export type GrpcCode =
  | 'InvalidArgument'
  | 'NotFound'
  | 'AlreadyExists'
  | 'PermissionDenied'
  | 'Unauthenticated'
  | 'FailedPrecondition'
  | 'Aborted'
  | 'ResourceExhausted'
  | 'Unimplemented'
  | 'Unavailable'
  | 'Internal';

const HTTP: Record<GrpcCode, number> = {
  InvalidArgument: 400,
  NotFound: 404,
  AlreadyExists: 409,
  PermissionDenied: 403,
  Unauthenticated: 401,
  FailedPrecondition: 412,
  Aborted: 409,
  ResourceExhausted: 507,
  Unimplemented: 501,
  Unavailable: 503,
  Internal: 500,
};

/** Codes whose class is not read off their name (below). */
const TABLE: Partial<Record<ErrorCode, GrpcCode>> = {
  VALIDATION_FAILED: 'InvalidArgument',
  BAD_REQUEST: 'InvalidArgument',
  UNSUPPORTED_MEDIA_TYPE: 'InvalidArgument',
  PAYLOAD_TOO_LARGE: 'InvalidArgument',
  UNAUTHENTICATED: 'Unauthenticated',
  API_KEY_DISABLED: 'Unauthenticated',
  FORBIDDEN: 'PermissionDenied',
  OUT_OF_SCOPE: 'PermissionDenied',
  CSRF_TOKEN_INVALID: 'PermissionDenied',
  OBJECT_LOCKED: 'Aborted',
  JOB_QUEUE_FULL: 'ResourceExhausted',
  POOL_NO_SPACE: 'ResourceExhausted',
  POOL_SPACE_INSUFFICIENT: 'ResourceExhausted',
  SNAPSHOT_LIMIT_REACHED: 'ResourceExhausted',
  SERVICE_UNAVAILABLE: 'Unavailable',
  NOT_READY: 'Unavailable',
  POOL_FEATURE_UNSUPPORTED: 'Unimplemented',
  VOLUME_IN_USE: 'FailedPrecondition',
  VOLUME_HAS_CLONES: 'FailedPrecondition',
  VOLUME_NOT_READY: 'FailedPrecondition',
  VOLUME_FILE_BACKED: 'FailedPrecondition',
  VOLUME_EXPORTED_READ_WRITE: 'FailedPrecondition',
  SNAPSHOT_NOT_READY: 'FailedPrecondition',
  SNAPSHOT_HAS_CLONES: 'FailedPrecondition',
  SNAPSHOT_HELD: 'FailedPrecondition',
  SNAPSHOT_OF_OTHER_VOLUME: 'InvalidArgument',
  INTERNAL: 'Internal',
  JOB_FAILED: 'Internal',
  COMMAND_FAILED: 'Internal',
};

/** The gRPC class of a Cairn error code: the table, else its name, else its HTTP status. */
export function grpcCode(code: string, status: number): GrpcCode {
  const t = TABLE[code as ErrorCode];
  if (t) return t;
  if (code.endsWith('_NOT_FOUND')) return 'NotFound';
  if (code.endsWith('_TAKEN') || code.endsWith('_EXISTS')) return 'AlreadyExists';
  if (code.endsWith('_NOT_SUPPORTED') || code.endsWith('_UNSUPPORTED')) return 'Unimplemented';
  if (status === 404) return 'NotFound';
  if (status === 401) return 'Unauthenticated';
  if (status === 403) return 'PermissionDenied';
  if (status === 409 || status === 422) return 'FailedPrecondition';
  if (status === 400) return 'InvalidArgument';
  if (status === 503) return 'Unavailable';
  return 'Internal';
}

/** The error text and the HTTP status OpenStorage's server would give for a Cairn error. */
export function osdError(code: string, status: number, message: string): { status: number; text: string } {
  const g = grpcCode(code, status);
  return { status: HTTP[g], text: `rpc error: code = ${g} desc = ${message} [${code}]` };
}

/** A part of OpenStorage that needs other nodes or other products (HTTP 501, plain text). */
export const notSupported = (what: string, why: string): { status: number; text: string } => ({
  status: 501,
  text: `rpc error: code = Unimplemented desc = ${what} is not supported by Cairn: ${why}`,
});
