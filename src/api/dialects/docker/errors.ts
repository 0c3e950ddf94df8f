// Cairn error codes → Docker's answers, by one table: the Engine API's `{"message"}` with Docker's
// statuses (404 missing, 409 in use, 400 bad input), the plugin protocol's `{"Err"}`.
import type { ErrorCode } from '../../../domain/errors.js';

/** Codes whose Docker status differs from Cairn's own. */
const STATUS: Partial<Record<ErrorCode, number>> = {
  VALIDATION_FAILED: 400,
  BAD_REQUEST: 400,
  VOLUME_IN_USE: 409,
  VOLUME_NOT_READY: 409,
  OBJECT_LOCKED: 409,
  POOL_NOT_READY: 409,
  JOB_FAILED: 500,
};

/** Docker's own words for the errors its clients recognise. */
const MESSAGE: Partial<Record<ErrorCode, (name: string, message: string) => string>> = {
  VOLUME_NOT_FOUND: (name) => `get ${name}: no such volume`,
  VOLUME_IN_USE: (name, m) => `remove ${name}: volume is in use - ${m}`,
};

export function engineError(
  code: string,
  status: number,
  message: string,
  details: Record<string, unknown>,
): { status: number; message: string } {
  const c = code as ErrorCode;
  const s = STATUS[c] ?? (status === 422 ? 400 : status >= 500 ? 500 : status);
  // A validation error's summary says what is wrong without Cairn's preamble.
  const text = c === 'VALIDATION_FAILED' && typeof details.summary === 'string' ? details.summary : message;
  const name = typeof details.id === 'string' ? details.id : '';
  return { status: s, message: MESSAGE[c]?.(name, text) ?? text };
}
