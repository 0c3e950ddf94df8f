// /api/v1/schedules: list, create, show, change (incl. enable/disable), delete, run now.
import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsync } from 'fastify';
import type { Services } from '../../../services/index.js';
import { SCHEDULE_LIST } from '../../../domain/protection.js';
import type { ScheduleInput, ScheduleUpdate as Update } from '../../../services/schedules/service.js';
import { IdParams, Page, errorResponses, listQuery, parseList } from '../common.js';
import { ScheduleCreate, ScheduleUpdate } from './schemas.js';

export const scheduleRoutes: FastifyPluginAsync<{ svc: Services }> = async (app, { svc }) => {
  const id = (req: { params: unknown }) => (req.params as { id: string }).id;
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
    async (req) => svc.schedules.list(req.principal!, parseList(SCHEDULE_LIST, req.query)),
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
      return svc.schedules.create(req.principal!, req.body as ScheduleInput);
    },
  );
  app.get(
    '/:id',
    {
      config: { permission: 'schedule.read' },
      schema: { params: IdParams, response: { 200: ref, ...errorResponses } },
    },
    async (req) => svc.schedules.get(req.principal!, id(req)),
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
    async (req) => svc.schedules.update(req.principal!, id(req), req.body as Update),
  );
  app.delete(
    '/:id',
    {
      config: { permission: 'schedule.write' },
      schema: { params: IdParams, response: { 204: Type.Null(), ...errorResponses } },
    },
    async (req, reply) => {
      await svc.schedules.delete(req.principal!, id(req));
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
    async (req) => svc.schedules.runNow(req.principal!, id(req)),
  );
};
