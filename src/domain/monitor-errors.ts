// Error codes for statistics, alerts and notifications; merged into the registry in errors.ts.
import type { ErrorSpec } from './error-spec.js';

export const MONITOR_ERRORS = {
  STATS_OBJECT_NOT_FOUND: { status: 404, message: 'no statistics for {kind} {id}' },
  ALERT_NOT_FOUND: { status: 404, message: 'alert {id} does not exist' },
  ALERT_RULE_NOT_FOUND: { status: 404, message: 'alert rule {id} does not exist' },
  ALERT_CLEARED: {
    status: 409,
    message: 'alert {id} is already cleared',
    hint: 'cleared alerts stay in the history; nothing to acknowledge',
  },
  NOTIFICATION_CHANNEL_NOT_FOUND: { status: 404, message: 'notification channel {id} does not exist' },
  NOTIFICATION_CHANNEL_NAME_TAKEN: {
    status: 409,
    message: 'a notification channel named {name} already exists',
  },
  NOTIFICATION_FAILED: {
    status: 422,
    message: 'the test notification on {name} failed: {reason}',
    hint: 'check the URL or SMTP server and that it is reachable from this system',
  },
} as const satisfies Record<string, ErrorSpec>;
