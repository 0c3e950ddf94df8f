// GET /metrics (outside /api/v1): Prometheus text of the same figures as /stats. Needs stats.read,
// unless made public (CAIRN_METRICS_PUBLIC=1 or the monitor.metrics_public setting).
import type { FastifyInstance } from 'fastify';
import type { Services } from '../../../services/index.js';

export async function metricsRoute(app: FastifyInstance, svc: Services): Promise<void> {
  app.get(
    '/metrics',
    {
      config: svc.monitor.metricsPublic() ? { public: true } : { permission: 'stats.read' },
      schema: { summary: 'Prometheus metrics (text exposition format), names prefixed cairn_', hide: false },
    },
    async (_req, reply) => {
      const m = await svc.monitor.metricsText();
      reply.type(m.contentType);
      return m.body;
    },
  );
}
