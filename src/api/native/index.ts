// Registers every native resource plugin under /api/v1. New areas add one line here.
import type { FastifyInstance } from 'fastify';
import type { Services } from '../../services/index.js';
import { systemRoutes } from './system/routes.js';
import { jobRoutes } from './jobs/routes.js';
import { authRoutes } from './auth/routes.js';
import { auditRoutes } from './audit/routes.js';

export async function nativeRoutes(app: FastifyInstance, svc: Services): Promise<void> {
  await app.register(systemRoutes, { svc });
  await app.register(jobRoutes, { svc, prefix: '/jobs' });
  await app.register(authRoutes, { svc });
  await app.register(auditRoutes, { svc, prefix: '/audit' });
}
