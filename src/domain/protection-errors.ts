// Error codes for schedules and replication; merged into the registry in errors.ts.
import type { ErrorSpec } from './error-spec.js';

export const PROTECTION_ERRORS = {} as const satisfies Record<string, ErrorSpec>;
