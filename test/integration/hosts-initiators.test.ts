// A host's IQNs each have an id, and one IQN may belong to several hosts (NGX shares an initiator
// between auth groups). An iSCSI export mapping two hosts that share an IQN lets that initiator in
// (libiscsi), keeps the others' IQNs in, and still refuses an unmapped one; taking the IQN off one
// host leaves it allowed through the other.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { exportRig, client, MiB, type ExportBody } from './exports-support.js';
import { realPartsSkip } from '../support/real.js';
import { ApiError } from '../../src/cli/client.js';
import type { Host } from '../../src/domain/exports.js';

const skip = realPartsSkip();
const SHARED = 'iqn.2024-01.io.cairn.test:shared';
const OWN = 'iqn.2024-01.io.cairn.test:own';
const OTHER = 'iqn.2024-01.io.cairn.test:other';
const STRANGER = 'iqn.2024-01.io.cairn.test:stranger';

test('an IQN shared by two hosts: ids of its own on each, iSCSI ACL built from both', { skip }, async (t) => {
  const rig = await exportRig(t, { lunBytes: 64 * MiB });
  const c = rig.cairn;
  const mk = async (name: string, iqns: string[]) =>
    (await c.admin.request<Host>('POST', 'hosts', { name, iqns })).body;
  const x = await mk('group-x', [SHARED]);
  const y = await mk('group-y', [SHARED, OWN]);
  assert.deepEqual(
    y.initiators.map((i) => i.iqn),
    [SHARED, OWN],
  );
  assert.deepEqual(y.iqns, [SHARED, OWN], 'iqns stays as it was');
  const ids = [...x.initiators, ...y.initiators].map((i) => i.id);
  assert.equal(new Set(ids).size, 3, 'every initiator of every host has its own id');
  assert.ok(ids.every((id) => id.length > 0));

  // listed twice within one host: refused; the ids of IQNs a change keeps stay
  await assert.rejects(
    c.admin.request('PATCH', `hosts/${y.id}`, { iqns: [OWN, OWN] }),
    (e: unknown) => e instanceof ApiError && e.status === 400 && /DUPLICATE/.test(JSON.stringify(e.body)),
  );
  const y2 = (await c.admin.request<Host>('PATCH', `hosts/${y.id}`, { iqns: [OWN, SHARED, OTHER] })).body;
  const idOf = (h: Host, iqn: string) => h.initiators.find((i) => i.iqn === iqn)!.id;
  assert.equal(idOf(y2, SHARED), idOf(y, SHARED));
  assert.equal(idOf(y2, OWN), idOf(y, OWN));
  assert.notEqual(idOf(y2, OTHER), idOf(y, SHARED));
  const listed = await c.admin.get<{ items: Host[] }>('hosts?sort=name');
  assert.deepEqual(
    listed.items.map((h) => h.initiators.length),
    [1, 3],
  );
  assert.equal((await c.app.services.hosts.initiator(idOf(y2, OWN))).host_id, y.id);

  // one target for both hosts: the shared IQN, each host's own, not a stranger
  const r = await c.admin.request<ExportBody>('POST', `volumes/${rig.lun.id}/exports?wait=60`, {
    protocol: 'iscsi',
    hosts: [x.id, y.id],
  });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  const url = `iscsi://127.0.0.1:${rig.ports.iscsi}/${r.body.name}/1`;
  for (const iqn of [SHARED, OWN, OTHER]) {
    const inq = client(['iscsi-inq', '-i', iqn, url]);
    assert.equal(inq.code, 0, `${iqn}: ${inq.out}`);
  }
  assert.notEqual(client(['iscsi-inq', '-i', STRANGER, url]).code, 0, 'an unmapped IQN is refused');

  // the shared IQN off one host: still let in through the other; the removed own IQN is not
  await c.admin.request('PATCH', `hosts/${y.id}`, { iqns: [OTHER] });
  assert.equal(client(['iscsi-inq', '-i', SHARED, url]).code, 0, 'still allowed through group-x');
  assert.equal(client(['iscsi-inq', '-i', OTHER, url]).code, 0);
  assert.notEqual(client(['iscsi-inq', '-i', OWN, url]).code, 0, 'a removed IQN is refused');
});
