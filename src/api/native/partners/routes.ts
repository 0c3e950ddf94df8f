// /api/v1/partners: other Cairn systems (URL, API key, pinned certificate); the key is never returned.
import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Services } from '../../../services/index.js';
import { PARTNER_LIST } from '../../../domain/protection.js';
import { PartnerCreate, PartnerUpdate } from '../../../domain/replication.js';
import { IdParams, Page, errorResponses, listQuery, parseList } from '../common.js';

export const partnerRoutes: FastifyPluginAsyncTypebox<{ svc: Services }> = async (app, { svc }) => {
  const ref = Type.Ref('Partner');
  app.get(
    '/',
    {
      config: { permission: 'partner.read' },
      schema: { querystring: listQuery(PARTNER_LIST), response: { 200: Page(ref), ...errorResponses } },
    },
    async (req) => svc.partners.list(parseList(PARTNER_LIST, req.query)),
  );
  app.post(
    '/',
    {
      config: { permission: 'partner.write' },
      schema: {
        summary: 'add a partner; it is called at once with the pinned certificate and the key',
        body: PartnerCreate,
        response: { 201: ref, ...errorResponses },
      },
    },
    async (req, reply) => {
      reply.code(201);
      return svc.partners.create(req.body);
    },
  );
  app.get(
    '/:id',
    {
      config: { permission: 'partner.read' },
      schema: { params: IdParams, response: { 200: ref, ...errorResponses } },
    },
    async (req) => svc.partners.get(req.params.id),
  );
  app.patch(
    '/:id',
    {
      config: { permission: 'partner.write' },
      schema: { params: IdParams, body: PartnerUpdate, response: { 200: ref, ...errorResponses } },
    },
    async (req) => svc.partners.update(req.params.id, req.body),
  );
  app.post(
    '/:id/check',
    {
      config: { permission: 'partner.write' },
      schema: {
        summary: 'verify the partner again (certificate and key)',
        params: IdParams,
        response: { 200: ref, ...errorResponses },
      },
    },
    async (req) => svc.partners.check(req.params.id),
  );
  app.delete(
    '/:id',
    {
      config: { permission: 'partner.write' },
      schema: { params: IdParams, response: { 204: Type.Null(), ...errorResponses } },
    },
    async (req, reply) => {
      await svc.partners.delete(req.params.id);
      reply.code(204);
      return null;
    },
  );
};
