// What an area contributes to the composition root.
import type { FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { DB } from '../store/schema.js';
import type { StoreDialect } from '../store/dialect.js';
import type { Exec } from '../system/exec.js';
import type { JobEngine } from '../jobs/engine.js';
import type { Services } from '../services/index.js';
import type { Paths } from '../system/paths.js';
import type { EventStore } from '../store/events.js';
import type { RuntimeConfig } from '../daemon/config.js';

export interface AreaContext {
  db: Kysely<DB>;
  dialect: StoreDialect;
  exec: Exec;
  engine: JobEngine;
  /** Cairn's data directory (virtual disk files, pool mounts, daemon state live under it, by id). */
  dataDir: string;
  paths: Paths;
  /** Record system events here (pool degraded, spare took over, …). */
  events: EventStore;
  logger: Logger;
  /** The configuration read once at start (flags and environment). */
  config: RuntimeConfig;
}

export interface AreaPart<S> {
  services: S;
  /** Plugins registered on the root Fastify instance (native routes go under /api/v1 themselves). */
  plugins?: ((app: FastifyInstance, svc: Services) => Promise<void>)[];
  /** Makes the machine match the database at start-up; idempotent. Runs in area order. */
  reconcile?(): Promise<void>;
  stop?(): Promise<void>;
}
