// Serves the enabled dialects at their doors: prefix doors as scopes of the main application,
// TCP and unix doors as Fastify instances of their own with the same core (request ids,
// authentication by the door's schemes, permissions, audit). Listening, socket files and their
// modes are the composition root's (it may do OS work; this layer may not).
import cookie from '@fastify/cookie';
import swagger from '@fastify/swagger';
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { RuntimeConfig } from '../daemon/config.js';
import { CairnError } from '../domain/errors.js';
import type { Services } from '../services/index.js';
import type { DialectDefinition, DialectDoor, DialectListener } from './dialects/types.js';
import { cameBy, installCore, localPrincipal, newFastify } from './server.js';
import { openApiFor } from './openapi.js';
import { CAIRN_VERSION } from '../services/system.js';

export type OwnDoor = Exclude<DialectDoor, { kind: 'prefix' }>;

/** A dialect's door with a listener of its own, ready to listen. */
export interface DoorServer {
  dialect: string;
  door: OwnDoor;
  app: FastifyInstance;
}

const refused = (d: DialectDefinition, l: DialectListener) =>
  new CairnError('UNAUTHENTICATED', {}, `${d.name} API requests authenticate with: ${l.auth.join(', ')}`);

/** Plugins for the main application: each prefix door's routes in a scope at its prefix. */
export function prefixPlugins(
  dialects: readonly DialectDefinition[],
  config: RuntimeConfig,
): ((app: FastifyInstance, svc: Services) => Promise<void>)[] {
  return dialects.flatMap((d) =>
    d.listeners(config).flatMap((l) => {
      const door = l.door;
      if (door.kind !== 'prefix') return [];
      return [
        async (app: FastifyInstance, svc: Services) => {
          await app.register(
            async (scope) => {
              // The main listener took any credentials it knows; this door takes only its own.
              scope.addHook('onRequest', async (req) => {
                if (req.caller && !cameBy(req.caller, l.auth)) throw refused(d, l);
              });
              await l.routes(scope, svc);
            },
            { prefix: door.prefix },
          );
        },
      ];
    }),
  );
}

/** One Fastify instance per TCP or unix door of the enabled dialects (not yet listening). */
export async function buildDoorServers(
  svc: Services,
  dialects: readonly DialectDefinition[],
  config: RuntimeConfig,
  opts: { logger: Logger | false; https?: { key: string; cert: string } | null },
): Promise<DoorServer[]> {
  const out: DoorServer[] = [];
  for (const d of dialects)
    for (const l of d.listeners(config)) {
      const door = l.door;
      if (door.kind === 'prefix') continue;
      const tls = door.kind === 'tcp' && door.tls;
      if (tls && !opts.https) throw new Error(`dialect ${d.name}: a TLS door needs cairnd's certificate`);
      const app = newFastify({
        logger: opts.logger === false ? false : opts.logger.child({ dialect: d.name }),
        https: tls ? opts.https : null,
      });
      if (l.auth.includes('session')) await app.register(cookie);
      installCore(app, svc, {
        schemes: l.auth,
        ...(l.auth.includes('local') ? { local: localPrincipal(d.name) } : {}),
      });
      await app.register(swagger, {
        openapi: { openapi: '3.1.0', info: { title: `Cairn: ${d.name} dialect`, version: CAIRN_VERSION } },
      });
      await app.register(async (scope) => l.routes(scope, svc));
      out.push({ dialect: d.name, door, app });
    }
  return out;
}

/** The OpenAPI document of a dialect served on a door of its own. */
export const doorDocument = (s: DoorServer) => (): unknown =>
  openApiFor(s.app, (r) => r.dialect === s.dialect, `Cairn: ${s.dialect} dialect`);
