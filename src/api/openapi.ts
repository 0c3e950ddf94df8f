// Splits the one generated OpenAPI document by owner: the native API, and one document per dialect.
import type { FastifyInstance } from 'fastify';
import type { RegisteredRoute } from './routes-registry.js';

/** Fastify's `/a/:id` as OpenAPI's `/a/{id}`. */
const toOpenApiPath = (url: string) => url.replace(/:([A-Za-z_][A-Za-z0-9_]*)/g, '{$1}');

export function openApiFor(
  app: FastifyInstance,
  keep: (r: RegisteredRoute) => boolean,
  title?: string,
): unknown {
  const doc = app.swagger() as {
    info: Record<string, unknown>;
    paths?: Record<string, Record<string, unknown>>;
  };
  const wanted = new Map<string, Set<string>>();
  for (const r of app.cairnRoutes) {
    if (!keep(r) || (r.public && r.url.startsWith('/docs'))) continue;
    const path = toOpenApiPath(r.url);
    const set = wanted.get(path) ?? new Set<string>();
    set.add(r.method.toLowerCase());
    wanted.set(path, set);
  }
  const paths: Record<string, Record<string, unknown>> = {};
  for (const [path, ops] of Object.entries(doc.paths ?? {})) {
    const methods = wanted.get(path);
    if (!methods) continue;
    const kept = Object.fromEntries(Object.entries(ops).filter(([m]) => methods.has(m)));
    if (Object.keys(kept).length) paths[path] = kept;
  }
  return { ...doc, info: title ? { ...doc.info, title } : doc.info, paths };
}
