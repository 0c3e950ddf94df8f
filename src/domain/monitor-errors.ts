// Error codes for statistics, alerts and notifications; merged into the registry in errors.ts.
import type { ErrorSpec } from './error-spec.js';

export const MONITOR_ERRORS = {} as const satisfies Record<string, ErrorSpec>;
