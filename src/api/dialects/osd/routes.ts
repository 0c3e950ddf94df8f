// The OpenStorage (OSD) REST API (seed 000, libopenstorage's api/server): JSON keys matched
// ignoring case, bodies allowed empty (its Go client sends `Content-Type: application/json` on
// every request, bodiless DELETEs included), errors as its client reads them. Translates to
// Cairn's services; no storage decisions here.
import type { FastifyInstance } from 'fastify';
import type { TSchema } from '@sinclair/typebox';
import type { Services } from '../../../services/index.js';
import { OsdContext } from './context.js';
import { canonicalKeys } from './map.js';
import { errorOf, sendText } from './reply.js';
import { osdVolumeRoutes } from './routes/volumes.js';
import { osdSnapshotRoutes } from './routes/snapshots.js';
import { osdClusterRoutes } from './routes/cluster.js';
import { osdUnsupportedRoutes } from './routes/unsupported.js';

export async function osdRoutes(app: FastifyInstance, svc: Services): Promise<void> {
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_req, body, done) => {
    const text = typeof body === 'string' ? body : body.toString('utf8');
    if (text.trim() === '') return done(null, undefined);
    try {
      done(null, JSON.parse(text));
    } catch (e) {
      const err = e as Error & { statusCode?: number };
      err.statusCode = 400;
      done(err, undefined);
    }
  });
  // Go's encoding/json matches keys ignoring case: so does this API (the seed sends "ID").
  app.addHook('preValidation', async (req) => {
    const schema = req.routeOptions.schema as { body?: TSchema; querystring?: TSchema } | undefined;
    if (schema?.body) req.body = canonicalKeys(req.body ?? {}, schema.body);
    if (schema?.querystring) req.query = canonicalKeys(req.query, schema.querystring);
  });
  app.setErrorHandler((err, req, reply) => {
    const e = errorOf(req, err);
    return sendText(reply, e.status, e.text);
  });
  app.setNotFoundHandler((req, reply) =>
    sendText(reply, 404, `404 page not found: ${req.method} ${req.url.split('?')[0]}`),
  );

  const x = new OsdContext(svc);
  await osdVolumeRoutes(app, x);
  await osdSnapshotRoutes(app, x);
  await osdClusterRoutes(app, x);
  await osdUnsupportedRoutes(app, x);
}
