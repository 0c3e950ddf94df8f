// Builds the Fastify application: request ids, one error shape, authentication and per-route
// permissions (declared in route config, enforced by one hook), the audit trail, OpenAPI and routes.
import Fastify, {
  type FastifyInstance,
  type FastifyError,
  type FastifyReply,
  type FastifyRequest,
  type FastifyServerOptions,
} from 'fastify';
import cookie from '@fastify/cookie';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import { CairnError, isCairnError, type FieldProblem } from '../domain/errors.js';
import { allows, principalName, systemPrincipal, type Principal } from '../domain/permissions.js';
import type { Services } from '../services/index.js';
import type { AuthScheme } from './dialects/types.js';
import { ErrorBody, JobSchema } from './native/common.js';
import { nativeRoutes } from './native/index.js';
import { CAIRN_VERSION } from '../services/system.js';
import { registerConsole, wantsConsolePage } from './console.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** `resource.verb` needed to call the route; enforced by the auth hook. */
    permission?: string;
    /** Reachable without credentials (health, API document, certificate). */
    public?: boolean;
    /** The API dialect a route belongs to (its own OpenAPI document); native routes have none. */
    dialect?: string;
  }
  interface FastifyRequest {
    /** Who is calling: set by authentication; null before it and on public routes. */
    caller: Principal | null;
    /**
     * The authenticated caller, never null where a handler of a route that is not public runs
     * (the auth hook refused the request otherwise); read anywhere else it throws UNAUTHENTICATED.
     */
    readonly principal: Principal;
  }
  interface FastifyInstance {
    cairnRoutes: RegisteredRoute[];
    /** OpenAPI documents of dialects served on doors of their own (main listener only). */
    dialectDocs: Map<string, () => unknown>;
  }
}

import type { RegisteredRoute } from './routes-registry.js';
export type { RegisteredRoute };

export interface ApiOptions {
  logger: Logger | false;
  https?: { key: string; cert: string } | null;
  /** Dialect plugins, registered after the native API (issue 9). */
  extraPlugins?: ((app: FastifyInstance, svc: Services) => Promise<void>)[];
  /** The built web console (console/dist) to serve under `/`; none when it was not built. */
  consoleDir?: string | null;
}

import { SESSION_COOKIE } from './cookies.js';
export { SESSION_COOKIE };
const READ_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

function validationProblems(err: FastifyError): FieldProblem[] {
  return (err.validation ?? []).map((v) => {
    const params = v.params as Record<string, unknown>;
    const base = (v.instancePath || '').replace(/^\//, '').replace(/\//g, '.');
    const extra = (params.additionalProperty ?? params.missingProperty) as string | undefined;
    const field =
      [err.validationContext === 'body' ? '' : err.validationContext, base, extra]
        .filter(Boolean)
        .join('.') || 'body';
    const code =
      v.keyword === 'additionalProperties'
        ? 'UNKNOWN_FIELD'
        : v.keyword === 'required'
          ? 'REQUIRED'
          : v.keyword.toUpperCase();
    const message =
      v.keyword === 'additionalProperties'
        ? `${extra} is not a known field`
        : v.keyword === 'enum'
          ? `must be one of ${(params.allowedValues as unknown[]).join(', ')}`
          : (v.message ?? 'is not valid');
    return { field, code, message };
  });
}

/** Maps anything thrown into the native error body and status. */
export function toErrorReply(
  err: unknown,
  requestId: string,
): { status: number; body: unknown; internal: boolean } {
  let e: CairnError;
  let internal = false;
  const fe = err as FastifyError;
  if (isCairnError(err)) e = err;
  else if (fe?.validation) {
    const problems = validationProblems(fe);
    e = new CairnError('VALIDATION_FAILED', {
      summary: problems.map((p) => `${p.field}: ${p.message}`).join('; '),
      problems,
    });
  } else if (fe?.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE')
    e = new CairnError('UNSUPPORTED_MEDIA_TYPE', { type: 'this' });
  else if (fe?.code === 'FST_ERR_CTP_BODY_TOO_LARGE') e = new CairnError('PAYLOAD_TOO_LARGE');
  else if (typeof fe?.statusCode === 'number' && fe.statusCode >= 400 && fe.statusCode < 500)
    e = new CairnError('BAD_REQUEST', { reason: fe.message });
  else {
    internal = true;
    e = new CairnError('INTERNAL', { requestId });
  }
  const details = internal ? undefined : e.details;
  return {
    status: e.status,
    internal,
    body: {
      error: {
        code: e.code,
        message: e.message,
        ...(details && Object.keys(details).length ? { details } : {}),
        ...(e.hint ? { hint: e.hint } : {}),
        request_id: requestId,
      },
    },
  };
}

export async function buildApi(svc: Services, opts: ApiOptions): Promise<FastifyInstance> {
  const app = newFastify(opts);
  // Cookies are parsed in an onRequest hook of their own, which must run before authentication's.
  await app.register(cookie);
  installCore(app, svc, { schemes: ['basic', 'bearer', 'session'] });

  app.addSchema(ErrorBody);
  app.addSchema(JobSchema);
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Cairn native API',
        version: CAIRN_VERSION,
        description: 'Storage appliance control plane. Sizes are bytes, times ISO 8601, ids strings.',
      },
      components: {
        securitySchemes: {
          basic: { type: 'http', scheme: 'basic' },
          apiKey: { type: 'http', scheme: 'bearer', description: 'cairn_<id>_<secret>' },
          session: { type: 'apiKey', in: 'cookie', name: SESSION_COOKIE },
        },
      },
      security: [{ basic: [] }, { apiKey: [] }, { session: [] }],
    },
    refResolver: { buildLocalReference: (json, _base, _frag, i) => (json.$id as string) || `def-${i}` },
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });
  app.decorate('dialectDocs', new Map<string, () => unknown>());

  const consolePage = opts.consoleDir ? await registerConsole(app, opts.consoleDir) : null;
  app.setNotFoundHandler((req, reply) =>
    consolePage && wantsConsolePage(req) ? consolePage(req, reply) : nativeNotFound(req, reply),
  );

  await app.register(
    async (api) => {
      // Its own not-found handler, so a dialect mounted at a shorter prefix (vSnap at /api) never answers for /api/v1.
      api.setNotFoundHandler(nativeNotFound);
      await nativeRoutes(api, svc);
    },
    { prefix: '/api/v1' },
  );
  for (const plugin of opts.extraPlugins ?? []) await plugin(app, svc);
  return app;
}

function nativeNotFound(req: FastifyRequest, reply: FastifyReply): void {
  const r = toErrorReply(
    new CairnError('NOT_FOUND', { method: req.method, url: req.url.split('?')[0] }),
    req.id,
  );
  void reply.code(404).send(r.body);
}

/** A Fastify instance with Cairn's request ids, body limit, routing and validation settings. */
export function newFastify(opts: { logger: Logger | false; https?: { key: string; cert: string } | null }) {
  const serverOpts: FastifyServerOptions & { https?: { key: string; cert: string } } = {
    logger: opts.logger === false ? false : undefined,
    loggerInstance: opts.logger === false ? undefined : opts.logger,
    genReqId: () => randomUUID(),
    bodyLimit: 1024 * 1024,
    // One route per path whatever its last slash: a collection route declared as `/` under its
    // prefix is registered (and documented) once, as `/api/v1/pools`, and `/api/v1/pools/` still
    // reaches it. Without this Fastify registers both spellings and the API document lost them.
    routerOptions: { ignoreTrailingSlash: true },
    ajv: {
      customOptions: { removeAdditional: false, coerceTypes: true, useDefaults: true, allErrors: true },
    },
    ...(opts.https ? { https: opts.https } : {}),
  } as FastifyServerOptions;
  return Fastify(serverOpts).withTypeProvider<TypeBoxTypeProvider>();
}

/**
 * What every listener has, the main one and each dialect door's: the route registry (every route
 * must say who may call it), authentication by the door's schemes and the permission check, the
 * native error shape as the default, and the audit trail of every change.
 */
export function installCore(app: FastifyInstance, svc: Services, auth: AuthPolicy): void {
  app.decorateRequest('caller', null);
  app.decorateRequest('principal', {
    getter(this: FastifyRequest): Principal {
      if (!this.caller) throw new CairnError('UNAUTHENTICATED');
      return this.caller;
    },
  });
  const routes: RegisteredRoute[] = [];
  app.decorate('cairnRoutes', routes);
  app.addHook('onRoute', (r) => {
    if (r.url.startsWith('/docs')) r.config = { ...(r.config ?? {}), public: true };
    const c = r.config as { permission?: string; public?: boolean; dialect?: string } | undefined;
    if (!c?.permission && !c?.public)
      throw new Error(`route ${String(r.method)} ${r.url} declares no permission`);
    for (const method of [r.method].flat())
      routes.push({
        method,
        url: r.url,
        permission: c.permission ?? null,
        public: Boolean(c.public),
        dialect: c.dialect ?? null,
        hidden: Boolean((r.schema as { hide?: boolean } | undefined)?.hide),
      });
  });

  app.addHook('onRequest', async (req, reply) => {
    reply.header('x-request-id', req.id);
    const cfg = req.routeOptions.config;
    if (cfg?.public || !req.routeOptions.url) return;
    req.caller = await authenticate(svc, req, auth);
    if (!req.caller) {
      // Not to a script that says so (the web console): a browser would answer the Basic
      // challenge with its own password dialog instead of letting the page show its sign-in.
      if (auth.schemes.includes('basic') && !req.headers['x-requested-with'])
        reply.header('www-authenticate', 'Basic realm="cairn", charset="UTF-8"');
      throw new CairnError('UNAUTHENTICATED');
    }
    if (cfg?.permission && !allows(req.caller.permissions, cfg.permission))
      throw new CairnError('FORBIDDEN', { permission: cfg.permission });
  });

  // Recorded before the answer leaves (onSend), so a client that reads the audit trail right
  // after a change always finds it.
  app.addHook('onSend', async (req, reply, payload) => {
    if (READ_METHODS.has(req.method) || !req.routeOptions.url) return payload;
    const p = req.caller;
    const errorCode = (reply as unknown as { cairnErrorCode?: string }).cairnErrorCode ?? null;
    await svc.audit
      .record({
        at: new Date().toISOString(),
        actor: p ? principalName(p) : 'anonymous',
        actorKind: p?.kind ?? 'anonymous',
        source: req.ip ?? 'local',
        method: req.method,
        route: req.routeOptions.url,
        url: req.url.split('?')[0]!.slice(0, 500),
        status: reply.statusCode,
        result: reply.statusCode < 400 ? 'ok' : 'error',
        errorCode: errorCode,
        requestId: req.id,
      })
      .catch((e: unknown) => req.log.error({ err: e }, 'audit record failed'));
    return payload;
  });

  app.setErrorHandler((err, req, reply) => {
    const r = toErrorReply(err, req.id);
    if (r.internal) req.log.error({ err }, 'unexpected error');
    const retryAfter = isCairnError(err) ? err.details.retry_after : undefined;
    if (typeof retryAfter === 'number') reply.header('retry-after', String(retryAfter));
    markErrorCode(reply, (r.body as { error: { code: string } }).error.code);
    void reply.code(r.status).type('application/json').send(r.body);
  });
}

/** Lets the audit trail record the error code of an answer (dialect error handlers call it too). */
export function markErrorCode(reply: FastifyReply, code: string): void {
  (reply as unknown as { cairnErrorCode?: string }).cairnErrorCode = code;
}

/** Which credentials a listener takes (see AuthScheme in dialects/types.ts). */
export interface AuthPolicy {
  schemes: readonly AuthScheme[];
  /** The principal of a request without credentials on a `local` door. */
  local?: Principal;
}

/** The system principal a `local` door's requests run as. */
export const localPrincipal = (dialect: string): Principal => systemPrincipal(`dialect:${dialect}`);

const PRINCIPAL_SCHEME: Record<Principal['kind'], AuthScheme> = {
  user: 'basic',
  apikey: 'bearer',
  session: 'session',
  system: 'local',
};

/** Whether a principal came in by one of the schemes (prefix doors share the main listener's hook). */
export const cameBy = (p: Principal, schemes: readonly AuthScheme[]): boolean =>
  schemes.includes(PRINCIPAL_SCHEME[p.kind]);

async function authenticate(svc: Services, req: FastifyRequest, auth: AuthPolicy): Promise<Principal | null> {
  const authorization = req.headers.authorization;
  const source = req.ip ?? 'local';
  if (authorization) {
    const [scheme, value = ''] = authorization.split(' ', 2) as [string, string?];
    if (/^basic$/i.test(scheme) && auth.schemes.includes('basic')) {
      const decoded = Buffer.from(value, 'base64').toString('utf8');
      const i = decoded.indexOf(':');
      if (i < 0) throw new CairnError('UNAUTHENTICATED');
      return svc.auth.authenticateBasic(decoded.slice(0, i), decoded.slice(i + 1), source);
    }
    if (/^bearer$/i.test(scheme) && auth.schemes.includes('bearer'))
      return svc.auth.authenticateKey(value.trim());
    throw new CairnError('UNAUTHENTICATED');
  }
  const sessionToken = auth.schemes.includes('session') ? req.cookies?.[SESSION_COOKIE] : undefined;
  if (sessionToken) {
    const p = await svc.auth.authenticateSession(sessionToken);
    if (!READ_METHODS.has(req.method) && req.headers['x-csrf-token'] !== p.csrfToken)
      throw new CairnError('CSRF_TOKEN_INVALID');
    return p;
  }
  return auth.local ?? null;
}
