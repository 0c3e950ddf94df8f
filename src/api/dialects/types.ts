// What a dialect is: a thin translator of one product's API to Cairn's services, and back. It
// declares where it listens (doors) and which credentials each door takes; it decides nothing about
// storage. See docs/architecture.md, "Adding a dialect".
import type { FastifyInstance } from 'fastify';
import type { RuntimeConfig } from '../../daemon/config.js';
import type { Services } from '../../services/index.js';

/** Where a dialect's routes are reached. */
export type DialectDoor =
  /** Under a path prefix of cairnd's main HTTPS listener (e.g. `/api` for vSnap). */
  | { kind: 'prefix'; prefix: string }
  /** A TCP port of its own; plain HTTP unless `tls` (then cairnd's certificate). */
  | { kind: 'tcp'; host: string; port: number; tls: boolean }
  /** A unix socket of its own, made by cairnd (owner root) with this mode. */
  | { kind: 'unix'; path: string; mode: number };

/**
 * The credentials a door takes. `basic`: a Cairn user's password; `bearer`: a Cairn API key;
 * `session`: the console's session cookie (+ CSRF); `local`: none at all — allowed only on unix
 * doors and loopback TCP doors, where reaching the door is the credential; such a request runs as
 * the system principal `dialect:<name>` with every permission. A request that brings credentials
 * is always checked against them, so a key's pool scope applies even on a `local` door.
 */
export type AuthScheme = 'basic' | 'bearer' | 'session' | 'local';

export interface DialectListener {
  door: DialectDoor;
  auth: AuthScheme[];
  /**
   * Registers the routes: in a scope of the main application under the prefix for a prefix door,
   * in a Fastify instance of the door's own for a TCP or unix door (either way with request ids,
   * the authentication of `auth`, the permission check and the audit trail already in place).
   * Every route sets `config: { permission, dialect }`; the plugin sets the product's error and
   * not-found handlers.
   */
  routes(app: FastifyInstance, svc: Services): Promise<void>;
}

export interface DialectDefinition {
  /** As written in CAIRN_DIALECTS; its OpenAPI document is `/api/v1/dialects/<name>/openapi.json`. */
  name: string;
  /** One line: the product and what of it Cairn speaks. */
  summary: string;
  /** Where it listens, from the configuration. */
  listeners(config: RuntimeConfig): DialectListener[];
}

/** A dialect is served by default when it opens no port or socket of its own. */
export const opensNoDoor = (d: DialectDefinition, config: RuntimeConfig): boolean =>
  d.listeners(config).every((l) => l.door.kind === 'prefix');
