// Error codes for exports, hosts and daemons; merged into the registry in errors.ts.
import type { ErrorSpec } from './error-spec.js';

export const EXPORT_ERRORS = {} as const satisfies Record<string, ErrorSpec>;
