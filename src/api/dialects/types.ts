// What a dialect is: a thin translator registered at its product's prefix, with its own auth,
// error shape and id mapping, and its own OpenAPI document. It calls services and decides nothing.
import type { FastifyInstance } from 'fastify';
import type { Services } from '../../services/index.js';

export interface Dialect {
  /** Short name; its OpenAPI document is at /api/v1/dialects/<name>/openapi.json. */
  name: string;
  /** Where its routes live, as the product has them (e.g. `/api` for vSnap). */
  prefix: string;
  /** Registers the routes; each must set `config.dialect = name` and a permission. */
  routes(app: FastifyInstance, svc: Services): Promise<void>;
}
