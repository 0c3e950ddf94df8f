// A database from before the replication rule's parameters changed (max_lag_seconds) gets the new
// set (lag_intervals) at the next start; thresholds of parameters that still exist are kept.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startCairn } from '../support/cairn.js';
import { testStores } from '../support/stores.js';
import { ApiError } from '../../src/cli/client.js';

interface RuleWire {
  id: string;
  params: Record<string, number>;
}

for (const store of testStores())
  test(`${store}: old replication rule parameters are upgraded at start, changed thresholds kept`, async (t) => {
    const first = await startCairn(t, { store });
    const db = first.app.store.db;
    await db
      .updateTable('alert_rules')
      .set({ params: JSON.stringify({ max_lag_seconds: 7200 }) })
      .where('id', '=', 'replication')
      .execute();
    await db
      .updateTable('alert_rules')
      .set({ params: JSON.stringify({ warn_percent: 70, critical_percent: 95 }) })
      .where('id', '=', 'pool_capacity')
      .execute();
    const c = await first.restart();
    const rules = (await c.admin.get<{ items: RuleWire[] }>('alert-rules')).items;
    const rule = (id: string) => rules.find((r) => r.id === id)!;
    assert.deepEqual(rule('replication').params, { lag_intervals: 2 });
    assert.deepEqual(rule('pool_capacity').params, { warn_percent: 70, critical_percent: 95 });
    const patched = await c.admin.request<RuleWire>('PATCH', 'alert-rules/replication', {
      params: { lag_intervals: 3 },
    });
    assert.deepEqual(patched.body.params, { lag_intervals: 3 });
    await assert.rejects(
      c.admin.request('PATCH', 'alert-rules/replication', { params: { max_lag_seconds: 60 } }),
      (e: unknown) => e instanceof ApiError && e.status === 400 && e.code === 'VALIDATION_FAILED',
    );
  });
