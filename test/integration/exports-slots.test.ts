// Export names and slots are settled by the store, not by one process's memory: two connections to
// one database (as two cairnd nodes sharing PostgreSQL would hold) cannot record the same tgt tid,
// ganesha Export_Id or NBD port, nor the same name, for one protocol.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openStore } from '../../src/store/db.js';
import { migrate } from '../../src/store/migrations/index.js';
import { ExportSlotTaken, ExportStore } from '../../src/store/exports.js';
import { CairnError } from '../../src/domain/errors.js';
import type { ExportRecord } from '../../src/domain/exports.js';
import { databaseUrl } from '../support/stores.js';
import { testStores } from '../support/stores.js';
import { tempDir } from '../support/real.js';

const row = (
  id: string,
  name: string,
  slot: number | null,
): Omit<ExportRecord, 'createdAt' | 'updatedAt' | 'error'> => ({
  id,
  volumeId: 'v1',
  poolId: 'p1',
  protocol: 'iscsi',
  state: 'creating',
  readOnly: false,
  hosts: [],
  allowed: ['127.0.0.1'],
  options: {},
  exportName: name,
  slot,
  uri: `iscsi://x/${name}/1`,
});

for (const kind of testStores())
  test(`${kind}: two writers cannot take one export slot or name`, async (t) => {
    const url = await databaseUrl(t, kind, tempDir(t));
    const a = await openStore(url);
    t.after(() => a.close());
    await migrate(a.db, a.dialect);
    const b = await openStore(url);
    t.after(() => b.close());
    const nodeA = new ExportStore(a.db, a.dialect);
    const nodeB = new ExportStore(b.db, b.dialect);
    const taken = () => new CairnError('EXPORT_IQN_TAKEN', { iqn: 'x' });

    await a.db.transaction().execute((tx) => nodeA.insert(tx, row('e1', 'iqn.a', 1), taken));
    await assert.rejects(
      b.db.transaction().execute((tx) => nodeB.insert(tx, row('e2', 'iqn.b', 1), taken)),
      (e: unknown) => e instanceof ExportSlotTaken && e.slot === 1,
    );
    await assert.rejects(
      b.db.transaction().execute((tx) => nodeB.insert(tx, row('e3', 'iqn.a', 2), taken)),
      (e: unknown) => e instanceof CairnError && e.code === 'EXPORT_IQN_TAKEN',
    );
    await b.db.transaction().execute((tx) => nodeB.insert(tx, row('e4', 'iqn.c', 2), taken));
    assert.deepEqual((await nodeA.slots('iscsi')).sort(), [1, 2]);
    // exports without a slot (SMB) are not limited to one
    await a.db
      .transaction()
      .execute((tx) => nodeA.insert(tx, { ...row('s1', 'share1', null), protocol: 'smb' }, taken));
    await a.db
      .transaction()
      .execute((tx) => nodeA.insert(tx, { ...row('s2', 'share2', null), protocol: 'smb' }, taken));
  });
