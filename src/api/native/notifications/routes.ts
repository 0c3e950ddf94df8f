// /notification-channels: webhooks (HMAC-signed) and email (SMTP) that raised and cleared alerts
// are sent to; secrets are accepted but never returned. POST /{id}/test sends one now.
import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Services } from '../../../services/index.js';
import { IdParams, Page, errorResponses, listQuery, parseList } from '../common.js';
import { NAME_PATTERN } from '../../../domain/names.js';
import { SEVERITIES } from '../../../domain/events.js';
import { CHANNEL_LIST, DELIVERY_LIST } from '../../../domain/monitor.js';

const Severity = Type.Union(
  SEVERITIES.map((s) => Type.Literal(s)),
  { description: 'alerts below this severity are not sent' },
);
const Channel = Type.Object(
  {
    id: Type.String(),
    name: Type.String(),
    type: Type.String({ description: 'webhook or email' }),
    enabled: Type.Boolean(),
    min_severity: Type.String(),
    config: Type.Record(Type.String(), Type.Unknown(), {
      description: 'webhook: url; email: to, from, smtp_host, smtp_port, smtp_security, smtp_user',
    }),
    has_secret: Type.Boolean({ description: 'a webhook secret or SMTP password is stored (never returned)' }),
    created_at: Type.String(),
    updated_at: Type.String(),
  },
  { $id: 'NotificationChannel' },
);
const fields = {
  enabled: Type.Optional(Type.Boolean()),
  min_severity: Type.Optional(Severity),
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
const ChannelCreate = Type.Object(
  {
    name: Type.String({ pattern: NAME_PATTERN }),
    type: Type.Union([Type.Literal('webhook'), Type.Literal('email')]),
    ...fields,
  },
  { additionalProperties: false },
);
const ChannelUpdate = Type.Object(
  { name: Type.Optional(Type.String({ pattern: NAME_PATTERN })), ...fields },
  { additionalProperties: false, minProperties: 1 },
);
const Delivery = Type.Object({
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

export const notificationRoutes: FastifyPluginAsyncTypebox<{ svc: Services }> = async (app, { svc }) => {
  app.addSchema(Channel);
  const read = { permission: 'notification.read' };
  const write = { permission: 'notification.write' };
  app.get(
    '/',
    {
      config: read,
      schema: {
        summary: 'notification channels',
        querystring: listQuery(CHANNEL_LIST),
        response: { 200: Page(Type.Ref('NotificationChannel')), ...errorResponses },
      },
    },
    async (req) => svc.monitor.listChannels(parseList(CHANNEL_LIST, req.query)),
  );
  app.post(
    '/',
    {
      config: write,
      schema: {
        summary: 'add a webhook or email channel',
        body: ChannelCreate,
        response: { 201: Type.Ref('NotificationChannel'), ...errorResponses },
      },
    },
    async (req, reply) => {
      reply.code(201);
      return svc.monitor.createChannel(req.body);
    },
  );
  app.get(
    '/:id',
    {
      config: read,
      schema: { params: IdParams, response: { 200: Type.Ref('NotificationChannel'), ...errorResponses } },
    },
    async (req) => svc.monitor.getChannel(req.params.id),
  );
  app.patch(
    '/:id',
    {
      config: write,
      schema: {
        summary: 'change a channel (an empty secret or smtp_password removes it)',
        params: IdParams,
        body: ChannelUpdate,
        response: { 200: Type.Ref('NotificationChannel'), ...errorResponses },
      },
    },
    async (req) => svc.monitor.updateChannel(req.params.id, req.body),
  );
  app.delete(
    '/:id',
    {
      config: write,
      schema: {
        summary: 'remove a channel and its queued deliveries',
        params: IdParams,
        response: { 204: Type.Null(), ...errorResponses },
      },
    },
    async (req, reply) => {
      await svc.monitor.deleteChannel(req.params.id);
      reply.code(204);
      return null;
    },
  );
  app.post(
    '/:id/test',
    {
      config: write,
      schema: {
        summary: 'send a test notification now (422 NOTIFICATION_FAILED when it does not arrive)',
        params: IdParams,
        response: {
          200: Type.Object({ delivered: Type.Boolean(), status: Type.Union([Type.Integer(), Type.Null()]) }),
          ...errorResponses,
        },
      },
    },
    async (req) => svc.monitor.testChannel(req.params.id),
  );
  app.get(
    '/:id/deliveries',
    {
      config: read,
      schema: {
        summary: 'deliveries on this channel: attempts, state and last error',
        params: IdParams,
        querystring: listQuery(DELIVERY_LIST),
        response: { 200: Page(Delivery), ...errorResponses },
      },
    },
    async (req) => svc.monitor.deliveries(req.params.id, parseList(DELIVERY_LIST, req.query)),
  );
};
