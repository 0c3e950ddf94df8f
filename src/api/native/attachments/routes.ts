// /api/v1/attachments and /api/v1/volumes/:id/attachments: volumes used on this machine.
import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Services } from '../../../services/index.js';
import {
  ATTACHMENT_LIST,
  Attachment,
  AttachmentCreate,
  AttachmentMountChange,
} from '../../../domain/attachments.js';
import { IdParams, Page, errorResponses, listQuery, parseList } from '../common.js';

export const attachmentRoutes: FastifyPluginAsyncTypebox<{ svc: Services }> = async (app, { svc }) => {
  app.addSchema(Attachment);
  app.post(
    '/volumes/:id/attachments',
    {
      config: { permission: 'volume.write' },
      schema: {
        summary: 'attach a volume on this machine (the same requester again gets the same attachment)',
        params: IdParams,
        body: AttachmentCreate,
        response: { 201: Type.Ref('Attachment'), ...errorResponses },
      },
    },
    async (req, reply) => {
      reply.code(201);
      return svc.attachments.attach(req.principal, req.params.id, req.body);
    },
  );
  app.get(
    '/attachments',
    {
      config: { permission: 'volume.read' },
      schema: {
        summary: 'list attachments (filter by volume_id, requester, state)',
        querystring: listQuery(ATTACHMENT_LIST),
        response: { 200: Page(Type.Ref('Attachment')), ...errorResponses },
      },
    },
    async (req) => svc.attachments.list(req.principal, parseList(ATTACHMENT_LIST, req.query)),
  );
  app.get(
    '/attachments/:id',
    {
      config: { permission: 'volume.read' },
      schema: { params: IdParams, response: { 200: Type.Ref('Attachment'), ...errorResponses } },
    },
    async (req) => svc.attachments.get(req.principal, req.params.id),
  );
  app.patch(
    '/attachments/:id',
    {
      config: { permission: 'volume.write' },
      schema: {
        summary:
          "move the volume's one mount in place: a lun attached as a block device gains a mount path (formatted once) or drops it, keeping its loop device",
        params: IdParams,
        body: AttachmentMountChange,
        response: { 200: Type.Ref('Attachment'), ...errorResponses },
      },
    },
    async (req) => svc.attachments.setMount(req.principal, req.params.id, req.body),
  );
  app.delete(
    '/attachments/:id',
    {
      config: { permission: 'volume.write' },
      schema: {
        summary: "detach: the last requester's detach unmounts the volume and detaches its loop device",
        params: IdParams,
        response: { 204: Type.Null(), ...errorResponses },
      },
    },
    async (req, reply) => {
      await svc.attachments.detach(req.principal, req.params.id);
      reply.code(204);
      return null;
    },
  );
};
