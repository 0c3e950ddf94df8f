// Error codes for volumes, snapshots and clones; merged into the registry in errors.ts.
import type { ErrorSpec } from './error-spec.js';

export const VOLUME_ERRORS = {} as const satisfies Record<string, ErrorSpec>;
