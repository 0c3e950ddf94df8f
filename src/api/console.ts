// Serves the web console (console/dist, built by scripts/setup.sh) from cairnd itself: the page and
// its hashed assets are the only public routes it adds; every API route stays authenticated. The
// console works through the public native API only, so nothing here knows about pools or users.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fastifyStatic from '@fastify/static';

/**
 * Scripts from this origin only, never inline; styles also allow inline because the component
 * library writes style attributes and its CSS variables at run time (no script can come of that).
 */
export const CONSOLE_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** Client-side pages: a reload or a bookmark of one of them gets the console's page. */
const PAGE = /^\/(?:[a-z-]+(?:\/[A-Za-z0-9_.-]+)*)?$/;

function secure(reply: FastifyReply): void {
  reply.header('content-security-policy', CONSOLE_CSP);
  reply.header('x-content-type-options', 'nosniff');
  reply.header('referrer-policy', 'no-referrer');
  reply.header('x-frame-options', 'DENY');
}

/** True for a browser asking for a console page (not the API, the reference or a file). */
export function wantsConsolePage(req: FastifyRequest): boolean {
  const path = req.url.split('?')[0]!;
  return (
    (req.method === 'GET' || req.method === 'HEAD') &&
    PAGE.test(path) &&
    !/^\/(api|docs|metrics)(\/|$)/.test(path) &&
    /text\/html/.test(req.headers.accept ?? '')
  );
}

/**
 * Registers the console under `/`: `/assets/*` (content-hashed names, cached for a year and never
 * revalidated) and the page itself (never cached, so a new build is picked up at the next load).
 * Returns the handler that answers console pages the router does not know (client-side routes).
 */
export async function registerConsole(
  app: FastifyInstance,
  root: string,
): Promise<(req: FastifyRequest, reply: FastifyReply) => FastifyReply> {
  await app.register(fastifyStatic, { root, serve: false, preCompressed: true, index: false });
  const page = (_req: FastifyRequest, reply: FastifyReply) => {
    secure(reply);
    reply.header('cache-control', 'no-cache');
    return reply.sendFile('index.html', { cacheControl: false });
  };
  app.get('/', { config: { public: true }, schema: { hide: true } }, page);
  app.get<{ Params: { '*': string } }>(
    '/assets/*',
    { config: { public: true }, schema: { hide: true } },
    (req, reply) => {
      secure(reply);
      return reply.sendFile(`assets/${req.params['*']}`, { immutable: true, maxAge: '365d' });
    },
  );
  app.get('/favicon.svg', { config: { public: true }, schema: { hide: true } }, (_req, reply) => {
    secure(reply);
    return reply.sendFile('favicon.svg', { maxAge: '1d' });
  });
  return page;
}
