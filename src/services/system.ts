// System identity and readiness: name, version, hostname, uptime, time zone, certificate.
import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { SettingsStore } from '../store/settings.js';
import type { Kysely } from 'kysely';
import type { DB } from '../store/schema.js';
import { sql } from 'kysely';

const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as {
  version: string;
};
export const CAIRN_VERSION = pkg.version;

export interface CertificateInfo {
  fingerprint_sha256: string;
  subject: string;
  valid_to: string;
  self_signed: boolean;
  pem: string;
}

export class SystemService {
  private readonly startedAt = Date.now();
  reconciled = false;
  reconcileError: string | null = null;

  constructor(
    private readonly settings: SettingsStore,
    private readonly db: Kysely<DB>,
    private readonly databaseKind: 'sqlite' | 'postgres',
    readonly certificate: CertificateInfo | null,
  ) {}

  async info() {
    return {
      name: await this.settings.get('system.name', hostname()),
      version: CAIRN_VERSION,
      hostname: hostname(),
      uptime_seconds: Math.round((Date.now() - this.startedAt) / 1000),
      started_at: new Date(this.startedAt).toISOString(),
      time_zone: Intl.DateTimeFormat().resolvedOptions().timeZone,
      time: new Date().toISOString(),
      database: this.databaseKind,
      node_version: process.version,
    };
  }

  /** A stable 32-hex identity of this installation, made at first use. */
  async systemId(): Promise<string> {
    const existing = await this.settings.get<string | null>('system.id', null);
    if (existing) return existing;
    const id = randomBytes(16).toString('hex');
    await this.settings.set('system.id', id);
    return id;
  }

  async rename(name: string) {
    await this.settings.set('system.name', name);
    return this.info();
  }

  async health() {
    let database = true;
    try {
      await sql`select 1`.execute(this.db);
    } catch {
      database = false;
    }
    const ready = database && this.reconciled;
    return {
      status: ready ? 'ok' : 'starting',
      live: true,
      ready,
      checks: { database, reconciled: this.reconciled, reconcile_error: this.reconcileError },
      version: CAIRN_VERSION,
    };
  }
}
