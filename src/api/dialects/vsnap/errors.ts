// Cairn error codes → vSnap's `{"error":{"type","message"}}`, by table. The status stays Cairn's
// (the seed allows "an appropriate status code").
import { CairnError, type ErrorCode } from '../../../domain/errors.js';

const TYPE: Partial<Record<ErrorCode, string>> = {
  VALIDATION_FAILED: 'InvalidParameterError',
  BAD_REQUEST: 'InvalidParameterError',
  UNAUTHENTICATED: 'AuthenticationError',
  FORBIDDEN: 'PermissionDeniedError',
  OUT_OF_SCOPE: 'PermissionDeniedError',
  DISK_NOT_AVAILABLE: 'InvalidCandidateError',
  POOL_PROFILE_INVALID: 'InvalidCandidateError',
  POOL_FEATURE_UNSUPPORTED: 'UnsupportedOperationError',
  POOL_NAME_TAKEN: 'AlreadyExistsError',
  USER_NAME_TAKEN: 'AlreadyExistsError',
  OBJECT_LOCKED: 'BusyError',
  JOB_FAILED: 'OperationFailedError',
  // The partner refused the remote_user/remote_pass given (not this request's own credentials).
  PARTNER_LOGIN_FAILED: 'AuthenticationError',
  PARTNER_UNREACHABLE: 'ConnectionError',
  PARTNER_CALLBACK_FAILED: 'ConnectionError',
  INTERNAL: 'InternalError',
};

export function vsnapErrorType(code: string, status: number): string {
  const t = TYPE[code as ErrorCode];
  if (t) return t;
  if (code.endsWith('_NOT_FOUND') || status === 404) return 'NotFoundError';
  if (code.endsWith('_TAKEN') || code.endsWith('_EXISTS')) return 'AlreadyExistsError';
  if (status === 409) return 'ConflictError';
  if (status === 422) return 'InvalidOperationError';
  if (status === 400) return 'InvalidParameterError';
  return status >= 500 ? 'InternalError' : 'Error';
}

/**
 * A rejection handler that throws a service's CairnError again with `ids` (vSnap's numbers for the
 * objects the service named by Cairn id), so the message speaks the client's ids.
 */
export const inVsnapIds =
  (ids: Record<string, string>) =>
  (e: unknown): never => {
    if (e instanceof CairnError) throw new CairnError(e.code, { ...e.details, ...ids });
    throw e;
  };
