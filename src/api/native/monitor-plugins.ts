// The monitoring area's API plugins: /api/v1 stats, alerts, alert-rules, events, logs, status,
// notification-channels, and /metrics at the root.
import type { FastifyInstance } from 'fastify';
import type { Services } from '../../services/index.js';
import { statsRoutes } from './stats/routes.js';
import { metricsRoute } from './stats/metrics.js';
import { alertRoutes } from './alerts/routes.js';
import { eventRoutes } from './events/routes.js';
import { statusRoutes } from './status/routes.js';
import { notificationRoutes } from './notifications/routes.js';

export const monitorPlugins = [
  async (app: FastifyInstance, svc: Services) => {
    await app.register(statsRoutes, { svc, prefix: '/api/v1/stats' });
    await app.register(alertRoutes, { svc, prefix: '/api/v1' });
    await app.register(eventRoutes, { svc, prefix: '/api/v1' });
    await app.register(statusRoutes, { svc, prefix: '/api/v1/status' });
    await app.register(notificationRoutes, { svc, prefix: '/api/v1/notification-channels' });
    await metricsRoute(app, svc);
  },
];
