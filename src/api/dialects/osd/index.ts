// The OpenStorage (OSD) REST API dialect: where it listens and with which credentials. A TCP door
// (CAIRN_OSD_LISTEN, plain HTTP as OpenStorage's clients expect) that takes no credentials on a
// loopback address and a Cairn API key as a bearer token (required anywhere else), and a unix
// socket (CAIRN_OSD_SOCKET) that takes none.
import { isLoopback } from '../../../daemon/config.js';
import type { DialectDefinition, DialectListener } from '../types.js';
import { DIALECT } from './context.js';
import { osdRoutes } from './routes.js';

export const dialect: DialectDefinition = {
  name: DIALECT,
  summary: 'OpenStorage (Portworx OSD) REST API: volumes, snapshots, a one-node cluster',
  listeners(config) {
    const { host, port } = config.osdListen;
    const routes: DialectListener['routes'] = (app, svc) => osdRoutes(app, svc);
    return [
      {
        door: { kind: 'tcp', host, port, tls: false },
        auth: isLoopback(host) ? ['local', 'bearer'] : ['bearer'],
        routes,
      },
      { door: { kind: 'unix', path: config.osdSocket, mode: 0o660 }, auth: ['local'], routes },
    ];
  },
};
