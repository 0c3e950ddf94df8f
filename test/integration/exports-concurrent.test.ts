// Ports and target numbers are allocated by the store, not by one process's memory: creates sent at
// once (each picks the lowest free slot it sees, so they pick the same one) end with distinct NBD
// ports and distinct tgt tids and IQNs, the unique index sending the losers to the next free slot,
// and every export serves.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startCairn } from '../support/cairn.js';
import { exportPortEnv } from '../support/export-ports.js';
import { realPartsSkip } from '../support/real.js';
import { poolWithVolumes, MiB } from './storage-support.js';

const skip = realPartsSkip();

interface ExportWire {
  id: string;
  state: string;
  name: string;
  uri: string;
}

test('exports created at once get distinct NBD ports and iSCSI tids and IQNs', { skip }, async (t) => {
  const c = await startCairn(t, { env: await exportPortEnv() });
  const names = ['l1', 'l2', 'l3'];
  const { volumes } = await poolWithVolumes(
    c.admin,
    names.map((name) => ({ name, type: 'lun', size: 16 * MiB })),
  );
  const createAll = (protocol: string) =>
    Promise.all(
      volumes.map(async (v) => {
        const r = await c.admin.request<ExportWire>('POST', `volumes/${v.id}/exports?wait=60`, {
          protocol,
          ...(protocol === 'nbd' ? { name: `n-${v.name}` } : { allowed: ['127.0.0.1'] }),
        });
        assert.equal(r.status, 201, JSON.stringify(r.body));
        assert.equal(r.body.state, 'active', JSON.stringify(r.body));
        return r.body;
      }),
    );
  const slots = async (ids: string[]) =>
    (await c.app.store.db.selectFrom('exports').select(['id', 'slot']).where('id', 'in', ids).execute()).map(
      (r) => r.slot,
    );

  const nbds = await createAll('nbd');
  const ports = nbds.map((e) => new URL(e.uri).port);
  assert.equal(new Set(ports).size, 3, `NBD ports ${ports.join(', ')}`);
  assert.deepEqual((await slots(nbds.map((e) => e.id))).map(String).sort(), [...ports].sort());

  const targets = await createAll('iscsi');
  assert.equal(new Set(targets.map((e) => e.name)).size, 3, 'distinct IQNs');
  const tids = await slots(targets.map((e) => e.id));
  assert.equal(new Set(tids).size, 3, `tids ${tids.join(', ')}`);

  for (const e of [...nbds, ...targets])
    assert.equal((await c.admin.request('DELETE', `exports/${e.id}?wait=60`)).status, 204);
});
