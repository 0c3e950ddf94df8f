// Notification channels (webhook, email), webhook signing and the delivery retry backoff. Pure.
import { createHmac } from 'node:crypto';
import type { Severity } from '../events.js';
import { listSpec } from '../list.js';
import { HOUR_MS } from './stats.js';

export const CHANNEL_TYPES = ['webhook', 'email'] as const;
export type ChannelType = (typeof CHANNEL_TYPES)[number];

export interface NotificationChannel {
  id: string;
  name: string;
  type: ChannelType;
  enabled: boolean;
  /** Alerts below this severity are not sent. */
  min_severity: Severity;
  /** webhook: { url }; email: { to[], from, smtp_host, smtp_port, smtp_secure, smtp_user } */
  config: Record<string, unknown>;
  /** Whether a secret (webhook HMAC key or SMTP password) is stored; the secret is never returned. */
  has_secret: boolean;
  created_at: string;
  updated_at: string;
}

export const SIGNATURE_HEADER = 'x-cairn-signature';

/** `sha256=<hex>` of HMAC-SHA256 over the raw body with the channel's secret. */
export const signBody = (secret: string, body: string): string =>
  `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;

/** Delay before attempt n+1 after n failed attempts: base·2^(n-1), at most one hour. */
export const backoffMs = (attempts: number, baseMs: number): number =>
  Math.min(HOUR_MS, baseMs * 2 ** Math.max(0, attempts - 1));

export const MAX_DELIVERY_ATTEMPTS = 10;

export const CHANNEL_LIST = listSpec({
  fields: {
    name: { column: 'name', type: 'string', filterable: true, sortable: true },
    type: { column: 'type', type: 'string', filterable: true, sortable: true },
    enabled: { column: 'enabled', type: 'boolean', filterable: true },
    created_at: { column: 'created_at', type: 'time', filterable: true, sortable: true },
  },
  defaultSort: 'name',
  tieBreaker: 'id',
});

export const DELIVERY_LIST = listSpec({
  fields: {
    state: { column: 'state', type: 'string', filterable: true, sortable: true },
    alert_id: { column: 'alert_id', type: 'string', filterable: true },
    event: { column: 'event', type: 'string', filterable: true },
    created_at: { column: 'created_at', type: 'time', filterable: true, sortable: true },
  },
  defaultSort: '-created_at',
  tieBreaker: 'id',
});
