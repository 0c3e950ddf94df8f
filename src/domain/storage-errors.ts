// Error codes for disks and pools; merged into the registry in errors.ts.
import type { ErrorSpec } from './error-spec.js';

export const STORAGE_ERRORS = {} as const satisfies Record<string, ErrorSpec>;
