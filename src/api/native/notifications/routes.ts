// /notification-channels: webhooks (HMAC-signed) and email (SMTP) that raised and cleared alerts
// are sent to; secrets are accepted but never returned. POST /{id}/test sends one now.
import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Services } from '../../../services/index.js';
import { IdParams, Page, errorResponses, listQuery, parseList } from '../common.js';
import {
  CHANNEL_LIST,
  ChannelCreate,
  ChannelUpdate,
  DELIVERY_LIST,
  Delivery,
  NotificationChannel,
} from '../../../domain/monitor.js';

export const notificationRoutes: FastifyPluginAsyncTypebox<{ svc: Services }> = async (app, { svc }) => {
  app.addSchema(NotificationChannel);
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
