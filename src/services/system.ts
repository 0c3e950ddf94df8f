// System identity and readiness: name, version, hostname, uptime, time zone, certificate.
import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { SettingsStore } from '../store/settings.js';
import type { Kysely } from 'kysely';
import type { DB } from '../store/schema.js';
import { sql } from 'kysely';
import type { OsRelease } from '../system/osrelease/index.js';
import type { Certificate } from '../system/tls.js';
import { newId } from '../domain/ids.js';
import { nodeIqn } from '../domain/targets.js';

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

/** The certificate as the API shows it (its private key stays out). */
export const certificateInfo = (c: Certificate): CertificateInfo => ({
  fingerprint_sha256: c.fingerprint256,
  subject: c.subject,
  valid_to: c.validTo,
  self_signed: c.selfSigned,
  pem: c.cert,
});

export interface Initialization {
  at: string;
  multipool: boolean;
  /** The job making the first pool; null when init skipped the pool. */
  pool_job_id: string | null;
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
    private readonly os: OsRelease | null = null,
  ) {}

  /**
   * Whether the system was initialized (vSnap's `POST /api/system {"action": "init"}`): when, with
   * which options, and the job that makes its first pool, if any. Null before that.
   */
  initialization(): Promise<Initialization | null> {
    return this.settings.get<Initialization | null>('system.initialization', null);
  }

  async recordInitialization(i: Omit<Initialization, 'at'>): Promise<Initialization> {
    const rec = { ...i, at: new Date().toISOString() };
    await this.settings.set('system.initialization', rec);
    return rec;
  }

  /** The system's name (setting `system.name`, the host name until renamed). */
  name(): Promise<string> {
    return this.settings.get('system.name', hostname());
  }

  async info() {
    return {
      name: await this.name(),
      version: CAIRN_VERSION,
      hostname: hostname(),
      uptime_seconds: Math.round((Date.now() - this.startedAt) / 1000),
      started_at: new Date(this.startedAt).toISOString(),
      time_zone: Intl.DateTimeFormat().resolvedOptions().timeZone,
      time: new Date().toISOString(),
      database: this.databaseKind,
      node_version: process.version,
      os_name: this.os?.name ?? 'Linux',
      os_version: this.os?.version ?? '',
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

  /** This node's iSCSI name (`nodeIqn` in src/domain/targets.ts), from the system id. */
  async nodeIqn(): Promise<string> {
    return nodeIqn(await this.systemId());
  }

  /** The id this node's statistics are recorded under (setting `monitor.node_id`), made at first use. */
  async nodeId(): Promise<string> {
    const existing = await this.settings.get<string | null>('monitor.node_id', null);
    if (existing) return existing;
    const id = newId();
    await this.settings.set('monitor.node_id', id);
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
