// Notification channels (webhook, email): wire schemas (whose `Static<>` types the monitor service
// takes), webhook signing and the delivery retry backoff. Pure.
import { createHmac } from 'node:crypto';
import { Type, type Static } from '@sinclair/typebox';
import { SEVERITIES, type Severity } from '../events.js';
import { NAME_PATTERN } from '../names.js';
import { listSpec } from '../list.js';
import { HOUR_MS } from './stats.js';

export const CHANNEL_TYPES = ['webhook', 'email'] as const;
export type ChannelType = (typeof CHANNEL_TYPES)[number];

// ---- Wire schemas: the channel (its type is the record's), its bodies, a delivery.

const MinSeverity = Type.Union(
  SEVERITIES.map((s) => Type.Literal(s)),
  { description: 'alerts below this severity are not sent' },
);
/** A channel as the API shows it (secrets never). */
export const NotificationChannel = Type.Object(
  {
    id: Type.String(),
    name: Type.String(),
    type: Type.Unsafe<ChannelType>(Type.String({ description: 'webhook or email' })),
    enabled: Type.Boolean(),
    /** Alerts below this severity are not sent. */
    min_severity: Type.Unsafe<Severity>(Type.String()),
    config: Type.Record(Type.String(), Type.Unknown(), {
      description: 'webhook: url; email: to, from, smtp_host, smtp_port, smtp_security, smtp_user',
    }),
    has_secret: Type.Boolean({ description: 'a webhook secret or SMTP password is stored (never returned)' }),
    created_at: Type.String(),
    updated_at: Type.String(),
  },
  { $id: 'NotificationChannel' },
);
export type NotificationChannel = Static<typeof NotificationChannel>;
const fields = {
  enabled: Type.Optional(Type.Boolean()),
  min_severity: Type.Optional(MinSeverity),
  url: Type.Optional(Type.String({ maxLength: 2000, description: 'webhook: where alerts are POSTed' })),
  secret: Type.Optional(
    Type.String({
      maxLength: 256,
      description: 'webhook: HMAC-SHA256 key; the body is signed in X-Cairn-Signature: sha256=<hex>',
    }),
  ),
  to: Type.Optional(
    Type.Array(Type.String({ format: 'email', maxLength: 254 }), { minItems: 1, maxItems: 50 }),
  ),
  from: Type.Optional(Type.String({ format: 'email', maxLength: 254 })),
  smtp_host: Type.Optional(Type.String({ minLength: 1, maxLength: 253, pattern: '^[A-Za-z0-9.:-]+$' })),
  smtp_port: Type.Optional(Type.Integer({ minimum: 1, maximum: 65535 })),
  smtp_security: Type.Optional(
    Type.Union([Type.Literal('tls'), Type.Literal('starttls'), Type.Literal('none')], {
      description: 'tls (implicit, 465), starttls (upgrade when offered, 587) or none',
    }),
  ),
  smtp_user: Type.Optional(Type.String({ maxLength: 254 })),
  smtp_password: Type.Optional(Type.String({ maxLength: 256 })),
};
export const ChannelCreate = Type.Object(
  {
    name: Type.String({ pattern: NAME_PATTERN }),
    type: Type.Union([Type.Literal('webhook'), Type.Literal('email')]),
    ...fields,
  },
  { additionalProperties: false },
);
export type ChannelCreate = Static<typeof ChannelCreate>;
export const ChannelUpdate = Type.Object(
  { name: Type.Optional(Type.String({ pattern: NAME_PATTERN })), ...fields },
  { additionalProperties: false, minProperties: 1 },
);
export type ChannelUpdate = Static<typeof ChannelUpdate>;
/** One sending of an alert to a channel, as the API shows it. */
export const Delivery = Type.Object({
  id: Type.String(),
  channel_id: Type.String(),
  alert_id: Type.Union([Type.String(), Type.Null()]),
  event: Type.String(),
  state: Type.String({ description: 'pending, delivered or failed (gave up)' }),
  attempts: Type.Integer(),
  next_attempt_at: Type.Number({ description: 'ms since the epoch' }),
  last_error: Type.Union([Type.String(), Type.Null()]),
  created_at: Type.String(),
  delivered_at: Type.Union([Type.String(), Type.Null()]),
});

export type Delivery = Static<typeof Delivery>;

/** A queued or finished notification to one channel. */
export interface DeliveryRecord {
  id: string;
  channelId: string;
  alertId: string | null;
  event: string;
  payload: string;
  state: 'pending' | 'delivered' | 'failed';
  attempts: number;
  nextAttemptAt: number;
  lastError: string | null;
  createdAt: string;
  deliveredAt: string | null;
}

export const deliveryWire = (d: Omit<DeliveryRecord, 'payload'>): Delivery => ({
  id: d.id,
  channel_id: d.channelId,
  alert_id: d.alertId,
  event: d.event,
  state: d.state,
  attempts: d.attempts,
  next_attempt_at: d.nextAttemptAt,
  last_error: d.lastError,
  created_at: d.createdAt,
  delivered_at: d.deliveredAt,
});

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
