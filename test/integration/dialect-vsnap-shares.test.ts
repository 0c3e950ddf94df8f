// vSnap shares, lun mappings and clones on real storage: a share update keeps its id (the native
// in-place update) and a failed one keeps the share; deleting a share that is not there or
// unmapping a volume from a host that does not map it are client errors in vSnap's shape;
// deleting a mapped lun unmaps it; a volume whose snapshot has a clone is not deleted; a host's
// mappings go with it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { vsnap, ok, vsnapError, vsnapRig } from './vsnap-support.js';
import { realPartsSkip } from '../support/real.js';
import { client, sha256 } from './exports-support.js';

const MiB = 1024 * 1024;
const skip = realPartsSkip();

const nfsUrl = (uri: string, file: string) => {
  const [base, q] = uri.split('?');
  return `${base}/${file}${q ? `?${q}` : ''}`;
};

test(
  'vSnap shares: an update keeps the share id, a bad one keeps the share; missing shares and mappings are errors',
  { skip },
  async (t) => {
    const { c, pool } = await vsnapRig(t);
    const fs = ok(
      await vsnap(c, 'POST', '/api/volume', { name: 'fs1', volume_type: 'filesystem', pool_id: pool }),
      'fs',
    );
    const vol = String(fs.id);

    // 1. no share yet: deleting it is a client error, not 200 {}
    vsnapError(await vsnap(c, 'DELETE', `/api/volume/${vol}/share`), 404, 'NotFoundError', /has no share/);

    const share = ok(
      await vsnap(c, 'POST', `/api/volume/${vol}/share`, {
        share_type: 'nfs',
        share_options: { allowed_hosts: ['127.0.0.1'] },
      }),
      'share',
    );
    const sid = String(share.id);
    const uri = String(share.uri);
    const src = join(c.dataDir, 'src.bin');
    const put = client(['dd', 'if=/dev/urandom', `of=${src}`, 'bs=1M', 'count=2']);
    assert.equal(put.code, 0, put.out);
    const first = client(['nfs-cp', src, nfsUrl(uri, 'a.bin')]);
    assert.equal(first.code, 0, first.out);

    // 2. read-only through PUT: the same id, the old id still answers, writes are refused
    const upd = ok(
      await vsnap(c, 'PUT', `/api/volume/${vol}/share`, {
        share_type: 'nfs',
        share_options: { read_only: true, allowed_hosts: ['127.0.0.1'] },
      }),
      'update',
    );
    assert.equal(String(upd.id), sid, 'the share keeps its id');
    assert.equal((upd.share_options as { read_only: boolean }).read_only, true);
    ok(await vsnap(c, 'GET', `/api/share/${sid}`), 'the old id');
    assert.notEqual(client(['nfs-cp', src, nfsUrl(uri, 'b.bin')]).code, 0, 'read-only now');
    const back = join(c.dataDir, 'back.bin');
    assert.equal(client(['nfs-cp', nfsUrl(uri, 'a.bin'), back]).code, 0);
    assert.equal(sha256(readFileSync(back)), sha256(readFileSync(src)));

    // 3. settings that fail validation: refused, the share is still there with its old settings
    const bad = await vsnap(c, 'PUT', `/api/volume/${vol}/share`, {
      share_type: 'nfs',
      share_options: { read_only: false, allowed_hosts: ['10.0.0.0/99'] },
    });
    assert.equal(bad.status, 400, JSON.stringify(bad.body));
    const still = ok(await vsnap(c, 'GET', `/api/share/${sid}`), 'after a bad update');
    assert.equal((still.share_options as { read_only: boolean }).read_only, true);
    assert.equal(client(['nfs-cp', nfsUrl(uri, 'a.bin'), `${back}2`]).code, 0, 'still serving');

    // 4. hosts: unmapping a volume the host does not map is an error; deleting a mapped lun unmaps it
    const lun = ok(
      await vsnap(c, 'POST', '/api/volume', {
        name: 'lun1',
        volume_type: 'lun',
        pool_id: pool,
        size_total: String(16 * MiB),
      }),
      'lun',
    );
    const host = ok(
      await vsnap(c, 'POST', '/api/host', { name: 'h1', iqns: ['iqn.1988-12.com.oracle:h1'] }),
      'host',
    );
    const hid = String(host.id);
    vsnapError(
      await vsnap(c, 'POST', `/api/host/${hid}`, { action: 'unmap', vol_id: String(lun.id) }),
      404,
      'NotFoundError',
      /not mapped/,
    );
    ok(await vsnap(c, 'POST', `/api/volume/${String(lun.id)}/map`, { host_id: hid }), 'map');
    ok(await vsnap(c, 'DELETE', `/api/volume/${String(lun.id)}`), 'delete a mapped lun');
    const after = ok(await vsnap(c, 'GET', `/api/host/${hid}`), 'host after');
    assert.deepEqual(after.mapped_luns, []);
  },
);

test('vSnap SMB share (no options): a Cairn user reaches it with their own password', { skip }, async (t) => {
  const { c, pool } = await vsnapRig(t);
  const u = (
    await c.admin.request<{ id: string }>('POST', 'users', {
      name: 'vsmb',
      password: 'Vsmb-passw0rd-1',
      role: 'operator',
      smb_enabled: true,
    })
  ).body;
  const fs = ok(
    await vsnap(c, 'POST', '/api/volume', { name: 'smbfs', volume_type: 'filesystem', pool_id: pool }),
    'fs',
  );
  const share = ok(
    await vsnap(c, 'POST', `/api/volume/${String(fs.id)}/share`, { share_type: 'smb' }),
    'smb share',
  );
  const creds = join(c.dataDir, 'creds');
  writeFileSync(creds, 'username = vsmb\npassword = Vsmb-passw0rd-1\n', { mode: 0o600 });
  const src = join(c.dataDir, 'smb-src.bin');
  writeFileSync(src, randomBytes(4 * 1024 * 1024));
  const back = join(c.dataDir, 'smb-back.bin');
  const port = new URL(String(share.uri)).port;
  const r = client([
    'smbclient',
    '-p',
    port,
    `//127.0.0.1/${String(share.name)}`,
    '-A',
    creds,
    '-c',
    `put ${src} x.bin; get x.bin ${back}`,
  ]);
  assert.equal(r.code, 0, r.out);
  assert.equal(sha256(readFileSync(back)), sha256(readFileSync(src)));
  ok(await vsnap(c, 'DELETE', `/api/share/${String(share.id)}`), 'delete share');
  assert.equal((await c.admin.request('DELETE', `users/${u.id}`)).status, 204);
});

test(
  'vSnap §8.10, §10.4–10.6, §8.5 in the seed order: a lun mapped to a host whose IQNs were emptied is deleted',
  { skip },
  async (t) => {
    const { c, pool } = await vsnapRig(t);
    const lun = (name: string) =>
      vsnap(c, 'POST', '/api/volume', {
        name,
        volume_type: 'lun',
        pool_id: pool,
        size_total: String(16 * MiB),
      });
    const [l1, l2, l3] = [
      ok(await lun('lun1'), 'lun1'),
      ok(await lun('lun2'), 'lun2'),
      ok(await lun('lun3'), 'lun3'),
    ];
    // 10.1, then 8.10 and 10.5 as the seed shows them.
    const host = ok(
      await vsnap(c, 'POST', '/api/host', {
        name: 'sid-oracle-47',
        iqns: ['iqn.1988-12.com.oracle:devoracle47'],
      }),
      '10.1',
    );
    const hid = String(host.id);
    ok(await vsnap(c, 'POST', `/api/volume/${String(l1.id)}/map`, { host_id: hid }), '8.10');
    ok(await vsnap(c, 'POST', `/api/host/${hid}`, { action: 'map', vol_id: String(l2.id) }), '10.5');
    ok(await vsnap(c, 'POST', `/api/host/${hid}`, { action: 'map', vol_id: String(l3.id) }), '10.5 again');
    // 10.4, its three forms in order: the last leaves the host without initiators.
    ok(await vsnap(c, 'PUT', `/api/host/${hid}`, { name: 'new-host-name' }), '10.4 name');
    ok(
      await vsnap(c, 'PUT', `/api/host/${hid}`, {
        name: 'new-host-name',
        iqns: ['iqn.1988-12.com.oracle:devoracle46', 'iqn.1988-12.com.oracle:devoracle47'],
      }),
      '10.4 iqns',
    );
    ok(await vsnap(c, 'PUT', `/api/host/${hid}`, { iqns: [] }), '10.4 no iqns');
    // 10.6 unmaps one; 8.5 deletes the others, still mapped (by 8.10 and by 10.5) to the host that
    // has no IQN now.
    assert.deepEqual(
      ok(await vsnap(c, 'POST', `/api/host/${hid}`, { action: 'unmap', vol_id: String(l3.id) }), '10.6'),
      {},
    );
    assert.deepEqual(ok(await vsnap(c, 'DELETE', `/api/volume/${String(l1.id)}`), '8.5 lun of 8.10'), {});
    assert.deepEqual(ok(await vsnap(c, 'DELETE', `/api/volume/${String(l2.id)}`), '8.5 lun of 10.5'), {});
    assert.deepEqual(ok(await vsnap(c, 'GET', `/api/host/${hid}`), 'host').mapped_luns, []);
    // 8.5 refuses a volume whose snapshot has a clone (the clone keeps its origin): nothing goes.
    const l3id = String(l3.id);
    const snap = ok(await vsnap(c, 'POST', `/api/volume/${l3id}/snapshot`, { name: 's1' }), 'snapshot');
    const clone = ok(
      await vsnap(c, 'POST', '/api/volume', { name: 'lun3c', snapshot_id: String(snap.id) }),
      'clone',
    );
    vsnapError(await vsnap(c, 'DELETE', `/api/volume/${l3id}`), 409, 'ConflictError', /have clones/);
    ok(await vsnap(c, 'GET', `/api/snapshot/${String(snap.id)}`), 'the snapshot stays');
    // 10.7 of a host that still maps a lun: the mapping goes with the host.
    ok(await vsnap(c, 'PUT', `/api/host/${hid}`, { iqns: ['iqn.1988-12.com.oracle:devoracle47'] }), '10.4');
    ok(await vsnap(c, 'POST', `/api/volume/${String(clone.id)}/map`, { host_id: hid }), '8.10 clone');
    assert.deepEqual(ok(await vsnap(c, 'GET', `/api/volume/${String(clone.id)}`), 'clone').host_ids, [hid]);
    assert.deepEqual(ok(await vsnap(c, 'DELETE', `/api/host/${hid}`), '10.7'), {});
    assert.deepEqual(ok(await vsnap(c, 'GET', `/api/volume/${String(clone.id)}`), 'clone').host_ids, []);
    ok(await vsnap(c, 'DELETE', `/api/volume/${String(clone.id)}`), '8.5 clone');
    assert.deepEqual(ok(await vsnap(c, 'DELETE', `/api/volume/${l3id}`), '8.5 unmapped lun'), {});
  },
);
