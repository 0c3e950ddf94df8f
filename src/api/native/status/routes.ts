// /status/system|capacity|services|cluster: what the appliance is and how it is doing, at a glance.
import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Services } from '../../../services/index.js';
import { errorResponses } from '../common.js';

const Any = Type.Record(Type.String(), Type.Unknown());

export const statusRoutes: FastifyPluginAsyncTypebox<{ svc: Services }> = async (app, { svc }) => {
  const cfg = { permission: 'system.read' };
  app.get(
    '/system',
    {
      config: cfg,
      schema: {
        summary:
          'system information and the versions of the storage parts (btrfs-progs, tgt, ganesha, samba, nbdkit)',
        response: { 200: Any, ...errorResponses },
      },
    },
    async () => svc.monitor.statusSystem(),
  );
  app.get(
    '/capacity',
    {
      config: { permission: 'pool.read' },
      schema: {
        summary: 'capacity overview across pools (bytes)',
        response: {
          200: Type.Object({
            total: Type.Object({
              size: Type.Number(),
              used: Type.Number(),
              free: Type.Number(),
              pools: Type.Integer(),
            }),
            pools: Type.Array(
              Type.Object({
                id: Type.String(),
                name: Type.String(),
                health: Type.String(),
                size: Type.Number(),
                used: Type.Number(),
                free: Type.Number(),
                used_ratio: Type.Number(),
              }),
            ),
          }),
          ...errorResponses,
        },
      },
    },
    async (req) => svc.monitor.statusCapacity(req.principal),
  );
  app.get(
    '/services',
    {
      config: { permission: 'service.read' },
      schema: {
        summary: 'service daemons and whether they run',
        response: {
          200: Type.Object({
            services: Type.Array(
              Type.Object({
                name: Type.String({ description: 'tgtd, ganesha, rpcbind, smbd, nbdkit-<export id>' }),
                state: Type.String({
                  description: 'stopped, starting, running, backoff, stopping, failed, external',
                }),
                running: Type.Boolean(),
                enabled: Type.Boolean({ description: 'whether it should run' }),
                pid: Type.Union([Type.Integer(), Type.Null()]),
                restarts: Type.Integer(),
                last_error: Type.Union([Type.String(), Type.Null()]),
                started_at: Type.Union([Type.String(), Type.Null()]),
              }),
            ),
          }),
          ...errorResponses,
        },
      },
    },
    async () => svc.monitor.statusServices(),
  );
  app.get(
    '/cluster',
    {
      config: cfg,
      schema: {
        summary: 'the cluster: one node for now (role primary, connected)',
        response: {
          200: Type.Object({
            connected: Type.Boolean(),
            nodes: Type.Array(
              Type.Object({
                id: Type.String(),
                name: Type.String(),
                hostname: Type.String(),
                address: Type.String(),
                role: Type.String(),
                connected: Type.Boolean(),
                version: Type.String(),
              }),
            ),
          }),
          ...errorResponses,
        },
      },
    },
    async () => svc.monitor.statusCluster(),
  );
};
