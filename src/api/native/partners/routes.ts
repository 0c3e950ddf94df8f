// /api/v1/partners: other Cairn systems (URL, API key, pinned certificate); the key is never returned.
import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Services } from '../../../services/index.js';
import { PARTNER_LIST } from '../../../domain/protection.js';
import { NAME_PATTERN } from '../../../domain/names.js';
import { IdParams, Page, errorResponses, listQuery, parseList } from '../common.js';

const Nullable = Type.Union([Type.String(), Type.Null()]);
export const Partner = Type.Object(
  {
    id: Type.String(),
    name: Type.String(),
    url: Type.String(),
    fingerprint_sha256: Type.String({ description: 'the pinned certificate fingerprint' }),
    remote_name: Nullable,
    remote_version: Nullable,
    verified_at: Nullable,
    peer_partner_id: Type.Union([Type.String(), Type.Null()], {
      description: 'made both ways: the id of the partner\u2019s entry for this system there',
    }),
    created_at: Type.String(),
    updated_at: Type.String(),
  },
  { $id: 'Partner' },
);

const fields = {
  name: Type.String({ pattern: NAME_PATTERN }),
  url: Type.String({ maxLength: 500, description: 'https://host:port of the partner' }),
  api_key: Type.String({
    minLength: 8,
    maxLength: 500,
    description: 'an API key of the partner; stored sealed',
  }),
  fingerprint_sha256: Type.String({
    maxLength: 100,
    description: "the partner's certificate SHA-256 (GET /api/v1/system/certificate there)",
  }),
};
const PartnerCreate = Type.Object(fields, { additionalProperties: false });
const PartnerUpdate = Type.Partial(Type.Object(fields), { additionalProperties: false, minProperties: 1 });

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
