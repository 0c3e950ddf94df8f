// The log (events + audit in one list) paged per source: every page, by offset and by cursor, in
// every sort, is the same as sorting all rows at once; filters and totals agree too.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { migratedSqlite } from '../../support/stores.js';
import { EventStore } from '../../../src/store/events.js';
import { AuditStore } from '../../../src/store/audit.js';
import { MonitorLogStore } from '../../../src/store/monitor-log.js';
import { parseListQuery } from '../../../src/domain/list.js';
import { LOG_LIST, type LogRecord } from '../../../src/domain/monitor.js';

test('log pages over events and audit equal one sort of all rows', async (t) => {
  const store = await migratedSqlite(t, 'cairn-log-');
  const events = new EventStore(store.db, store.dialect);
  const audit = new AuditStore(store.db, store.dialect);
  const log = new MonitorLogStore(store.db, store.dialect);
  // Times collide on purpose (ties must be broken by id across sources).
  for (let i = 0; i < 60; i++) {
    const at = new Date(Date.UTC(2026, 0, 1, 0, 0, i % 17)).toISOString();
    if (i % 3 === 0)
      await audit.record({
        at,
        actor: i % 2 ? 'admin' : 'ops',
        actorKind: 'user',
        source: '127.0.0.1',
        method: 'POST',
        route: '/api/v1/pools',
        url: `/api/v1/pools/${i}`,
        status: 200,
        result: 'ok',
        errorCode: null,
        requestId: `r${i}`,
      });
    else
      await events.record({
        type: i % 2 ? 'pool.degraded' : 'disk.added',
        severity: i % 2 ? 'error' : 'info',
        objectType: 'pool',
        objectId: `p${i % 4}`,
        message: `event ${i}`,
        actor: i % 2 ? 'admin' : 'system',
      });
  }
  // Events are stamped now(): give them the colliding times too.
  const evs = await store.db.selectFrom('events').select('id').execute();
  for (const [i, e] of evs.entries())
    await store.db
      .updateTable('events')
      .set({ at: new Date(Date.UTC(2026, 0, 1, 0, 0, (i * 7) % 17)).toISOString() })
      .where('id', '=', e.id)
      .execute();

  const everything = async (query: Record<string, string>) => {
    const all = await log.list(parseListQuery(LOG_LIST, { ...query, limit: '1000' }), null);
    return all;
  };
  for (const query of [
    {},
    { sort: 'at' },
    { sort: '-actor,at' },
    { sort: 'source,-at' },
    { severity: 'error' },
    { actor__in: 'ops,system', sort: 'type' },
  ] as Record<string, string>[]) {
    const all = await everything(query);
    const ids = all.items.map((e: LogRecord) => e.id);
    assert.equal(all.total, ids.length);
    // Offset pages of 7.
    const byOffset: string[] = [];
    for (let off = 0; off < ids.length; off += 7) {
      const p = await log.list(parseListQuery(LOG_LIST, { ...query, limit: '7', offset: String(off) }), null);
      assert.equal(p.total, all.total);
      byOffset.push(...p.items.map((e) => e.id));
    }
    assert.deepEqual(byOffset, ids, `offset pages, ${JSON.stringify(query)}`);
    // Cursor pages of 5.
    const byCursor: string[] = [];
    let cursor: string | null = null;
    do {
      const q: Record<string, string> = { ...query, limit: '5', ...(cursor ? { cursor } : {}) };
      const p = await log.list(parseListQuery(LOG_LIST, q), null);
      byCursor.push(...p.items.map((e) => e.id));
      cursor = p.next_cursor;
    } while (cursor);
    assert.deepEqual(byCursor, ids, `cursor pages, ${JSON.stringify(query)}`);
  }
  // The sort is really applied across sources.
  const asc = (await everything({ sort: 'at' })).items.map((e) => e.at);
  assert.deepEqual(asc, [...asc].sort());
  // A pool scope sees only its pools' events, never the audit trail.
  const scoped = await log.list(parseListQuery(LOG_LIST, { limit: '1000' }), ['p1']);
  assert.ok(scoped.items.length > 0);
  assert.ok(scoped.items.every((e) => e.source === 'event' && e.objectId === 'p1'));
  assert.equal(scoped.total, scoped.items.length);
});
