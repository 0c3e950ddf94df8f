// /api/v1/schedules: list, create, show, change (incl. enable/disable), delete, run now.
import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Services } from '../../../services/index.js';
import { SCHEDULE_LIST } from '../../../domain/protection.js';
import { IdParams, Page, errorResponses, listQuery, parseList } from '../common.js';
import { ScheduleCreate, ScheduleUpdate } from '../../../domain/schedules.js';

export const scheduleRoutes: FastifyPluginAsyncTypebox<{ svc: Services }> = async (app, { svc }) => {
  const ref = Type.Ref('Schedule');
  app.get(
    '/',
    {
      config: { permission: 'schedule.read' },
      schema: {
        summary: 'list schedules (filter kind=, target=, enabled=, name= …)',
        querystring: listQuery(SCHEDULE_LIST),
        response: { 200: Page(ref), ...errorResponses },
      },
    },
    async (req) => svc.schedules.list(req.principal, parseList(SCHEDULE_LIST, req.query)),
  );
  app.post(
    '/',
    {
      config: { permission: 'schedule.write' },
      schema: {
        summary: 'create a snapshot, scrub, dedup or replication schedule',
        body: ScheduleCreate,
        response: { 201: ref, ...errorResponses },
      },
    },
    async (req, reply) => {
      reply.code(201);
      return svc.schedules.create(req.principal, req.body);
    },
  );
  app.get(
    '/:id',
    {
      config: { permission: 'schedule.read' },
      schema: { params: IdParams, response: { 200: ref, ...errorResponses } },
    },
    async (req) => svc.schedules.get(req.principal, req.params.id),
  );
  app.patch(
    '/:id',
    {
      config: { permission: 'schedule.write' },
      schema: {
        summary: 'change a schedule; "enabled": false pauses it',
        params: IdParams,
        body: ScheduleUpdate,
        response: { 200: ref, ...errorResponses },
      },
    },
    async (req) => svc.schedules.update(req.principal, req.params.id, req.body),
  );
  app.delete(
    '/:id',
    {
      config: { permission: 'schedule.write' },
      schema: { params: IdParams, response: { 204: Type.Null(), ...errorResponses } },
    },
    async (req, reply) => {
      await svc.schedules.delete(req.principal, req.params.id);
      reply.code(204);
      return null;
    },
  );
  app.post(
    '/:id/run',
    {
      config: { permission: 'schedule.write' },
      schema: {
        summary: 'run the schedule once now (its timetable is unchanged)',
        params: IdParams,
        response: { 200: ref, ...errorResponses },
      },
    },
    async (req) => svc.schedules.runNow(req.principal, req.params.id),
  );
};
