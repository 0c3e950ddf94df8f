// Docker, as Portworx users drive it (seed 000): the volume plugin dockerd calls on
// /run/docker/plugins/<name>.sock (the name `cairn`, plus aliases such as `pxd` so the seed's
// `"Driver": "pxd"` works unchanged), and Docker's Engine volume API served by Cairn on a socket of
// its own. Unix doors only, root-owned; reaching the socket is the credential.
import { basename, dirname, join } from 'node:path';
import type { Services } from '../../../services/index.js';
import type { DialectDefinition, DialectListener } from '../types.js';
import { engineRoutes } from './engine.js';
import { pluginRoutes } from './plugin.js';
import { DockerVolumes, type DriverNames } from './volumes.js';

/** One Docker view per running Cairn, shared by every socket (the plugin's names and the Engine API). */
const views = new WeakMap<Services, DockerVolumes>();
const view = (svc: Services, names: DriverNames): DockerVolumes => {
  let v = views.get(svc);
  if (!v) views.set(svc, (v = new DockerVolumes(svc, names)));
  return v;
};

export const pluginName = (socket: string): string => basename(socket).replace(/\.sock$/, '');

export const dialect: DialectDefinition = {
  name: 'docker',
  summary: "Docker volume plugin (Portworx's pxd options) and Docker's Engine volume API",
  listeners: (config) => {
    const main = config.dockerPluginSocket;
    const names: DriverNames = { main: pluginName(main), aliases: config.dockerPluginAliases };
    const sockets = [main, ...names.aliases.map((a) => join(dirname(main), `${a}.sock`))];
    const plugin = sockets
      .filter((s, i) => sockets.indexOf(s) === i)
      .map((path): DialectListener => ({
        // dockerd runs as root and is the only client: root only.
        door: { kind: 'unix', path, mode: 0o600 },
        auth: ['local'],
        routes: (app, svc) => pluginRoutes(app, view(svc, names), pluginName(path)),
      }));
    const engine: DialectListener = {
      // Root and the socket's group (as Docker's own docker.sock).
      door: { kind: 'unix', path: config.dockerApiSocket, mode: 0o660 },
      auth: ['local'],
      routes: (app, svc) => engineRoutes(app, view(svc, names)),
    };
    return [...plugin, engine];
  },
};
