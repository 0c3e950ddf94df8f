// /audit: every mutating request, who made it, from where, and how it ended.
import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Services } from '../../../services/index.js';
import { Page, errorResponses, listQuery, parseList } from '../common.js';
import { AUDIT_LIST } from '../../../domain/list-specs.js';

const AuditEntry = Type.Object({
  id: Type.String(),
  at: Type.String(),
  actor: Type.String(),
  actor_kind: Type.String(),
  source: Type.String(),
  method: Type.String(),
  route: Type.String(),
  url: Type.String(),
  status: Type.Integer(),
  result: Type.String(),
  error_code: Type.Union([Type.String(), Type.Null()]),
  request_id: Type.String(),
});

export const auditRoutes: FastifyPluginAsyncTypebox<{ svc: Services }> = async (app, { svc }) => {
  app.get(
    '/',
    {
      config: { permission: 'audit.read' },
      schema: {
        summary: 'the audit trail',
        querystring: listQuery(AUDIT_LIST),
        response: { 200: Page(AuditEntry), ...errorResponses },
      },
    },
    async (req) => svc.audit.list(parseList(AUDIT_LIST, req.query)),
  );
};
