// /audit: every mutating request, who made it, from where, and how it ended.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Services } from '../../../services/index.js';
import { Page, errorResponses, listQuery, parseList } from '../common.js';
import { AUDIT_LIST } from '../../../domain/list-specs.js';
import { AuditEntry } from '../../../domain/audit.js';

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
