// The parts of OpenStorage that need other nodes or other products answer HTTP 501 with the
// reason, in the text body OpenStorage's client turns into its error.
import type { FastifyInstance } from 'fastify';
import type { OsdContext } from '../context.js';
import { notSupported } from '../errors.js';
import { sendText } from '../reply.js';

const MULTI_NODE = 'Cairn is one machine, not a cluster of nodes';

/** [path, what, why]; each path also answers below it (`/*`). */
const PARTS: [string, string, string][] = [
  [
    '/v1/osd-backup',
    'cloud backup',
    'Cairn replicates to another Cairn (native replication), not to a cloud',
  ],
  ['/v1/osd-creds', 'cloud credentials', 'Cairn keeps no cloud credentials'],
  ['/v1/cloudmigrate', 'cloud migration', 'Cairn replicates to another Cairn (native replication)'],
  ['/v1/cluster/pair', 'cluster pairs', MULTI_NODE],
  ['/v1/cluster/remotepairrequest', 'cluster pairs', MULTI_NODE],
  ['/v1/cluster/resetpairtoken', 'cluster pairs', MULTI_NODE],
  ['/v1/cluster/getpairtoken', 'cluster pairs', MULTI_NODE],
  ['/v1/clusterpairs', 'cluster pairs', MULTI_NODE],
  ['/v1/cluster/objectstore', 'the object store', 'Cairn serves no object store'],
  ['/v1/cluster/secrets', 'secrets', 'Cairn keeps no secret store for volumes (no encrypted volumes)'],
  ['/v1/cluster/gossipstate', 'gossip', MULTI_NODE],
  ['/v1/cluster/enablegossip', 'gossip', MULTI_NODE],
  ['/v1/cluster/disablegossip', 'gossip', MULTI_NODE],
  ['/v1/cluster/shutdown', 'shutdown', 'Cairn is stopped by its service manager, not by the API'],
  ['/v1/cluster/loggingurl', 'logging URLs', 'Cairn sends its events through notification channels'],
  ['/v1/cluster/managementurl', 'management URLs', 'Cairn is managed through its own API'],
  ['/v1/cluster/tunnelconfig', 'tunnels', 'Cairn opens no tunnels'],
  ['/v1/cluster/fluentdconfig', 'fluentd', 'Cairn sends its events through notification channels'],
  ['/v1/osd-volumes/quiesce', 'quiesce', 'Cairn snapshots are crash-consistent; it does not freeze I/O'],
  ['/v1/osd-volumes/unquiesce', 'quiesce', 'Cairn snapshots are crash-consistent; it does not freeze I/O'],
  ['/v1/osd-snapshot/snapshotgroup', 'group snapshots', 'Cairn snapshots one volume at a time'],
  ['/v1/graph', 'the graph driver', 'Cairn is no container image store'],
];

export async function osdUnsupportedRoutes(app: FastifyInstance, x: OsdContext): Promise<void> {
  for (const [path, what, why] of PARTS) {
    const handler = async (_req: unknown, reply: Parameters<typeof sendText>[0]) => {
      const e = notSupported(what, why);
      return sendText(reply, e.status, e.text);
    };
    app.all(path, { config: x.cfg('system.read') }, handler);
    app.all(`${path}/*`, { config: x.cfg('system.read') }, handler);
  }
  // Removing a node from a one-node cluster would remove the machine itself.
  app.delete('/v1/cluster', { config: x.cfg('system.write') }, async (_req, reply) => {
    const e = notSupported('removing nodes', MULTI_NODE);
    return sendText(reply, e.status, e.text);
  });
  app.delete('/v1/cluster/alerts/:resource/:id', { config: x.cfg('alert.write') }, async (_req, reply) => {
    const e = notSupported('erasing alerts', 'Cairn keeps its alert history; clear (acknowledge) instead');
    return sendText(reply, e.status, e.text);
  });
}
