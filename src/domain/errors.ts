// The one registry of stable error codes. Services throw CairnError; the API maps code → status.
// Nothing here knows HTTP frameworks; the status is part of the code's contract.

import type { ErrorSpec } from './error-spec.js';
import { STORAGE_ERRORS } from './storage-errors.js';
import { VOLUME_ERRORS } from './volume-errors.js';
import { EXPORT_ERRORS } from './export-errors.js';
import { PROTECTION_ERRORS } from './protection-errors.js';
import { MONITOR_ERRORS } from './monitor-errors.js';
import { ATTACHMENT_ERRORS } from './attachment-errors.js';
import { TARGET_ERRORS } from './target-errors.js';

export type { ErrorSpec };

export const ERRORS = {
  VALIDATION_FAILED: { status: 400, message: 'the request is not valid: {summary}' },
  UNAUTHENTICATED: {
    status: 401,
    message: 'credentials are missing or wrong',
    hint: 'use HTTP Basic, a bearer API key or a session',
  },
  CSRF_TOKEN_INVALID: {
    status: 403,
    message: 'the X-CSRF-Token header is missing or wrong for this session',
  },
  FORBIDDEN: { status: 403, message: 'permission {permission} is required' },
  OUT_OF_SCOPE: { status: 403, message: 'this API key is limited to other pools' },
  API_KEY_DISABLED: {
    status: 401,
    message: 'API key {id} is disabled',
    hint: 'its owner (or an admin) can enable it: PATCH /api/v1/api-keys/{id} {"enabled": true}',
  },
  TOO_MANY_FAILED_LOGINS: {
    status: 429,
    message: 'too many failed logins for {user}; try again after {until}',
    hint: 'wrong passwords from this address are slowed down (see Retry-After); other addresses are not affected',
  },
  BAD_REQUEST: { status: 400, message: 'the request cannot be read: {reason}' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, message: 'send JSON (Content-Type: application/json)' },
  PAYLOAD_TOO_LARGE: { status: 413, message: 'the request body is too large' },
  NOT_FOUND: { status: 404, message: 'no route {method} {url}' },
  JOB_NOT_FOUND: { status: 404, message: 'job {id} does not exist' },
  USER_NOT_FOUND: { status: 404, message: 'user {id} does not exist' },
  ROLE_NOT_FOUND: { status: 404, message: 'role {id} does not exist' },
  API_KEY_NOT_FOUND: { status: 404, message: 'API key {id} does not exist' },
  DISK_NOT_FOUND: { status: 404, message: 'disk {id} does not exist' },
  POOL_NOT_FOUND: { status: 404, message: 'pool {id} does not exist' },
  VOLUME_NOT_FOUND: { status: 404, message: 'volume {id} does not exist' },
  SNAPSHOT_NOT_FOUND: { status: 404, message: 'snapshot {id} does not exist' },
  USER_NAME_TAKEN: { status: 409, message: 'a user named {name} already exists' },
  ROLE_NAME_TAKEN: { status: 409, message: 'a role named {name} already exists' },
  ROLE_IN_USE: { status: 409, message: 'role {name} is assigned to users' },
  ROLE_BUILTIN: { status: 422, message: 'role {name} is built in and cannot be changed' },
  LAST_ADMIN: { status: 422, message: 'the last enabled admin cannot be removed, disabled or demoted' },
  OBJECT_LOCKED: {
    status: 409,
    message: '{object} is held by job {jobId}',
    hint: 'wait for it or cancel it',
  },
  JOB_NOT_CANCELLABLE: { status: 409, message: 'job {id} ({kind}) cannot be cancelled while {state}' },
  JOB_QUEUE_FULL: {
    status: 409,
    message: 'too many {kind} jobs are waiting ({limit})',
    hint: 'wait for some to finish',
  },
  JOB_INTERRUPTED: {
    status: 500,
    message: 'job {id} was interrupted by a restart while running step {step}',
  },
  JOB_CANCELLED: { status: 409, message: 'job {id} was cancelled' },
  JOB_FAILED: { status: 422, message: 'job {id} failed: {reason}' },
  COMMAND_FAILED: { status: 500, message: '{program} failed: {reason}' },
  COMMAND_TIMEOUT: { status: 504, message: '{program} did not finish within {timeoutMs} ms' },
  SERVICE_UNAVAILABLE: { status: 503, message: '{what} is not available: {reason}' },
  NETWORK_NOT_FOUND: { status: 404, message: 'network interface {id} does not exist' },
  NOT_READY: { status: 503, message: 'cairnd is still starting: {reason}' },
  INTERNAL: {
    status: 500,
    message: 'an unexpected error happened; see the server log for request {requestId}',
  },
  ...STORAGE_ERRORS,
  ...VOLUME_ERRORS,
  ...EXPORT_ERRORS,
  ...PROTECTION_ERRORS,
  ...MONITOR_ERRORS,
  ...ATTACHMENT_ERRORS,
  ...TARGET_ERRORS,
} as const satisfies Record<string, ErrorSpec>;

export type ErrorCode = keyof typeof ERRORS;

/** One problem with one input field, as collected by validation. */
export interface FieldProblem {
  field: string;
  code: string;
  message: string;
}

const fill = (template: string, details: Record<string, unknown>): string =>
  template.replace(/\{(\w+)\}/g, (_, k: string) =>
    details[k] === undefined ? `{${k}}` : String(details[k]),
  );

/** The only error type services throw. `details` fill the message template and travel to the client. */
export class CairnError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly details: Record<string, unknown>;
  readonly hint?: string;

  constructor(code: ErrorCode, details: Record<string, unknown> = {}, message?: string) {
    const spec: ErrorSpec = ERRORS[code];
    super(message ?? fill(spec.message, details));
    this.name = 'CairnError';
    this.code = code;
    this.status = spec.status;
    this.details = details;
    if (spec.hint) this.hint = spec.hint;
  }

  /** Throw VALIDATION_FAILED with every problem at once, or do nothing when there are none. */
  static assertNoProblems(problems: FieldProblem[]): void {
    if (problems.length === 0) return;
    throw new CairnError('VALIDATION_FAILED', {
      summary: problems.map((p) => `${p.field}: ${p.message}`).join('; '),
      problems,
    });
  }
}

export const isCairnError = (e: unknown): e is CairnError => e instanceof CairnError;
