// Replication sessions: list, show, cancel (aborts the streams; the job undoes its snapshot and
// the partner deletes what it had received). At start-up, sessions a crash left open are closed.
import { CairnError } from '../../domain/errors.js';
import { nowIso } from '../../domain/ids.js';
import type { ListParams, Page } from '../../domain/list.js';
import type { Principal } from '../../domain/permissions.js';
import type { ProtectionDeps } from './deps.js';
import { sessionWire, type SessionWire } from './wire.js';

export class SessionService {
  constructor(private readonly d: ProtectionDeps) {}

  async get(p: Principal | undefined, id: string): Promise<SessionWire> {
    const s = await this.d.store.getSession(id);
    const rel = await this.d.store.findRelationship(s.relationshipId);
    if (p?.pools && rel && !p.pools.includes(rel.poolId))
      throw new CairnError('OUT_OF_SCOPE', { pool: rel.poolId });
    return sessionWire(s);
  }

  list(p: Principal, params: ListParams): Promise<Page<SessionWire>> {
    return this.d.store.listSessions(params, p.pools, sessionWire);
  }

  async cancel(p: Principal, id: string): Promise<SessionWire> {
    const s = await this.get(p, id);
    if (!['PENDING', 'ACTIVE'].includes(s.status) || !s.job || s.direction !== 'send')
      throw new CairnError('SESSION_NOT_ACTIVE', { id, status: s.status });
    await this.d.engine.cancel(s.job);
    const done = await this.d.engine.wait(s.job, 60_000);
    if (done.state === 'cancelled' || done.state === 'failed') return this.get(p, id);
    return this.get(p, id);
  }

  /** Sessions still PENDING/ACTIVE whose job is finished (or gone) after a restart become FAILED. */
  async reconcile(): Promise<void> {
    for (const s of await this.d.store.unfinishedSessions()) {
      const job = s.jobId ? await this.d.engine.get(s.jobId).catch(() => null) : null;
      if (job && !['succeeded', 'failed', 'cancelled'].includes(job.state)) continue;
      await this.d.store.updateSession(s.id, {
        status: 'FAILED',
        message: 'interrupted by a restart',
        endedAt: nowIso(),
      });
    }
  }
}
