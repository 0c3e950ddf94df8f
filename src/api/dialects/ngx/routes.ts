// The NGXStorage REST API v2 (seed 002) at /api/v2/…: bearer API keys only, `{"code","error"}`
// on every error, 40-hex ids. Each group of the seed is a module of routes/; none decides storage.
import type { FastifyInstance } from 'fastify';
import type { Services } from '../../../services/index.js';
import { toErrorReply } from '../../server.js';
import { ngxError } from './errors.js';
import { ngxContext } from './helpers.js';
import { poolRoutes } from './routes/pools.js';
import { statusRoutes } from './routes/status.js';
import { logRoutes } from './routes/logs.js';
import { lunRoutes } from './routes/luns.js';
import { snapshotRoutes } from './routes/snapshots.js';
import { authGroupRoutes } from './routes/auth-groups.js';
import { shareRoutes } from './routes/shares.js';
import { portalRoutes } from './routes/portals.js';
import { fcRoutes } from './routes/fc.js';
import { targetRoutes } from './routes/targets.js';

export async function ngxRoutes(app: FastifyInstance, svc: Services): Promise<void> {
  // Bearer API keys only: the listener's auth (index.ts) refuses Basic and sessions before here.
  app.setErrorHandler((err, req, reply) => {
    const r = toErrorReply(err, req.id);
    if (r.internal) req.log.error({ err }, 'unexpected error');
    const e = (r.body as { error: { code: string; message: string } }).error;
    (reply as unknown as { cairnErrorCode?: string }).cairnErrorCode = e.code;
    void reply
      .code(r.status)
      .type('application/json')
      .send(ngxError(e.code, r.status, e.message));
  });
  app.setNotFoundHandler((req, reply) => {
    const url = req.url.split('?')[0];
    void reply.code(404).send(ngxError('NOT_FOUND', 404, `no such endpoint: ${req.method} ${url}`));
  });

  const ngx = ngxContext(svc);
  for (const group of [
    poolRoutes,
    statusRoutes,
    logRoutes,
    lunRoutes,
    snapshotRoutes,
    authGroupRoutes,
    shareRoutes,
    portalRoutes,
    fcRoutes,
    targetRoutes,
  ])
    await group(app, ngx);
}
