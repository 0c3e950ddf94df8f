// /jobs: list, show (with steps), logs, cancel, and a server-sent event stream of progress.
import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Services } from '../../../services/index.js';
import { IdParams, Page, errorResponses, listQuery, parseList } from '../common.js';
import { JOB_LIST } from '../../../domain/list-specs.js';

const Step = Type.Object({
  index: Type.Integer(),
  name: Type.String(),
  state: Type.String(),
  started_at: Type.Union([Type.String(), Type.Null()]),
  finished_at: Type.Union([Type.String(), Type.Null()]),
  error: Type.Union([Type.String(), Type.Null()]),
});

export const jobRoutes: FastifyPluginAsyncTypebox<{ svc: Services }> = async (app, { svc }) => {
  app.get(
    '/',
    {
      config: { permission: 'job.read' },
      schema: {
        summary: 'list jobs',
        querystring: listQuery(JOB_LIST),
        response: { 200: Page(Type.Ref('Job')), ...errorResponses },
      },
    },
    async (req) => svc.jobs.list(parseList(JOB_LIST, req.query)),
  );
  // Open event streams end when the server stops: a browser tab left open would otherwise keep
  // the server's close (and cairnd's graceful stop) waiting for its connection.
  const streams = new Set<{ end: () => void }>();
  app.addHook('preClose', async () => {
    for (const s of streams) s.end();
  });
  app.get(
    '/events',
    {
      config: { permission: 'job.read' },
      schema: { summary: 'server-sent events: `job` on every transition, `progress` while running' },
    },
    async (req, reply) => {
      reply.hijack();
      reply.raw.writeHead(200, {
        'content-type': 'text/event-stream',
        'cache-control': 'no-cache',
        connection: 'keep-alive',
        'x-request-id': req.id,
      });
      reply.raw.write(': connected\n\n');
      const unsubscribe = svc.jobs.subscribe((type, payload) =>
        reply.raw.write(`event: ${type}\ndata: ${JSON.stringify(payload)}\n\n`),
      );
      const ping = setInterval(() => reply.raw.write(': ping\n\n'), 15_000);
      const stream = { end: () => reply.raw.end() };
      streams.add(stream);
      req.raw.on('close', () => {
        streams.delete(stream);
        clearInterval(ping);
        unsubscribe();
      });
    },
  );
  app.get(
    '/:id',
    {
      config: { permission: 'job.read' },
      schema: {
        summary: 'one job with its steps',
        params: IdParams,
        response: {
          200: Type.Intersect([Type.Ref('Job'), Type.Object({ steps: Type.Array(Step) })]),
          ...errorResponses,
        },
      },
    },
    async (req) => svc.jobs.detail(req.params.id),
  );
  app.get(
    '/:id/logs',
    {
      config: { permission: 'job.read' },
      schema: {
        summary: 'log lines of a job: every program it ran with its output (secrets masked)',
        params: IdParams,
        querystring: Type.Object(
          {
            after: Type.Optional(Type.Integer({ minimum: 0 })),
            limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 10000 })),
          },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({
            items: Type.Array(
              Type.Object({
                seq: Type.Integer(),
                step: Type.Union([Type.Integer(), Type.Null()]),
                at: Type.String(),
                level: Type.String(),
                message: Type.String(),
              }),
            ),
          }),
          ...errorResponses,
        },
      },
    },
    async (req) => {
      const q = req.query;
      return { items: await svc.jobs.logs(req.params.id, q.after ?? 0, q.limit ?? 1000) };
    },
  );
  app.post(
    '/:id/cancel',
    {
      config: { permission: 'job.write' },
      schema: {
        summary: 'cancel a pending job, or a running one where that is safe',
        params: IdParams,
        response: { 200: Type.Ref('Job'), ...errorResponses },
      },
    },
    async (req) => svc.jobs.cancel(req.params.id),
  );
};
