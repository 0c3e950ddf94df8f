// A clone made from a snapshot, read through its own share with real clients (NFS and SMB, native
// and vSnap): it holds the file written before the snapshot, not what the origin got afterwards.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { realPartsSkip } from '../support/real.js';
import { client, sha256, MiB } from './exports-support.js';
import { ok, vsnap, vsnapRig } from './vsnap-support.js';

const skip = realPartsSkip();
const nfsUrl = (uri: string, file: string) => {
  const [base, q] = uri.split('?');
  return `${base}/${file}${q ? `?${q}` : ''}`;
};
interface Exp {
  id: string;
  uri: string;
}

test(
  'native and vSnap: a clone read through its share holds the file written before the snapshot',
  { skip },
  async (t) => {
    const { c, pool } = await vsnapRig(t);
    const nativePool = (await c.admin.get<{ items: { id: string }[] }>('pools')).items[0]!.id;
    const dir = c.dataDir;
    const file = (name: string, bytes: number) => {
      const b = randomBytes(bytes);
      writeFileSync(join(dir, name), b);
      return { path: join(dir, name), sum: sha256(b) };
    };
    const before = file('before.bin', 3 * MiB);
    const later = file('later.bin', 3 * MiB);

    // 1. native: write through the origin's NFS export, snapshot, write more, clone, share the clone
    const vol = (
      await c.admin.request<{ id: string }>('POST', 'volumes?wait=60', {
        pool: nativePool,
        name: 'origin',
        type: 'filesystem',
        size: 256 * MiB,
      })
    ).body;
    const nfs = { protocol: 'nfs', allowed: ['127.0.0.1'], root_squash: false };
    const origin = (await c.admin.request<Exp>('POST', `volumes/${vol.id}/exports?wait=60`, nfs)).body;
    const w = client(['nfs-cp', before.path, nfsUrl(origin.uri, 'data.bin')]);
    assert.equal(w.code, 0, w.out);
    const snap = (
      await c.admin.request<{ id: string }>('POST', `volumes/${vol.id}/snapshots?wait=60`, { name: 's1' })
    ).body;
    assert.equal(client(['nfs-cp', later.path, nfsUrl(origin.uri, 'after.bin')]).code, 0);
    // the origin's file changes after the snapshot (same size)
    const opath = (await c.admin.get<{ path: string }>(`volumes/${vol.id}`)).path;
    writeFileSync(join(opath, 'data.bin'), readFileSync(later.path));
    const clone = (
      await c.admin.request<{ id: string }>('POST', `snapshots/${snap.id}/clone?wait=60`, { name: 'c1' })
    ).body;
    const cloneNfs = (await c.admin.request<Exp>('POST', `volumes/${clone.id}/exports?wait=60`, nfs)).body;
    const got = join(dir, 'got-nfs.bin');
    const r = client(['nfs-cp', nfsUrl(cloneNfs.uri, 'data.bin'), got]);
    assert.equal(r.code, 0, `the clone's NFS export lacks the file: ${r.out}`);
    assert.equal(sha256(readFileSync(got)), before.sum);
    assert.notEqual(
      client(['nfs-ls', nfsUrl(cloneNfs.uri, 'after.bin')]).code,
      0,
      'written after the snapshot',
    );

    const smb = (
      await c.admin.request<Exp>('POST', `volumes/${clone.id}/exports?wait=60`, {
        protocol: 'smb',
        name: 'clone1',
        users: [{ name: 'cl', password: 'Clone-passw0rd' }],
      })
    ).body;
    const creds = join(dir, 'creds');
    writeFileSync(creds, 'username = cl\npassword = Clone-passw0rd\n', { mode: 0o600 });
    const port = new URL(smb.uri).port;
    const gotSmb = join(dir, 'got-smb.bin');
    const s = client([
      'smbclient',
      '-p',
      port,
      '//127.0.0.1/clone1',
      '-A',
      creds,
      '-c',
      `get data.bin ${gotSmb}`,
    ]);
    assert.equal(s.code, 0, s.out);
    assert.equal(sha256(readFileSync(gotSmb)), before.sum);

    // 2. vSnap: the same through shares, snapshots and a clone made with snapshot_id
    const fs = ok(
      await vsnap(c, 'POST', '/api/volume', { name: 'vorigin', volume_type: 'filesystem', pool_id: pool }),
      'fs',
    );
    const share = ok(
      await vsnap(c, 'POST', `/api/volume/${String(fs.id)}/share`, {
        share_type: 'nfs',
        share_options: { allowed_hosts: ['127.0.0.1'] },
      }),
      'share',
    );
    // As the issue's client did: the file is written through the origin's share before the
    // snapshot (a vSnap share lets root write: no squash), and another one after it.
    const put = (src: string, name: string) => client(['nfs-cp', src, nfsUrl(String(share.uri), name)]);
    const first = put(before.path, 'data.bin');
    assert.equal(first.code, 0, `write through the vSnap share: ${first.out}`);
    const vsnapSnap = ok(
      await vsnap(c, 'POST', `/api/volume/${String(fs.id)}/snapshot`, { name: 'vs1' }),
      'snap',
    );
    const second = put(later.path, 'after.bin');
    assert.equal(second.code, 0, second.out);
    const vclone = ok(
      await vsnap(c, 'POST', '/api/volume', { name: 'vclone', snapshot_id: String(vsnapSnap.id) }),
      'clone',
    );
    const vshare = ok(
      await vsnap(c, 'POST', `/api/volume/${String(vclone.id)}/share`, {
        share_type: 'nfs',
        share_options: { allowed_hosts: ['127.0.0.1'] },
      }),
      'clone share',
    );
    assert.notEqual(vshare.name, share.name);
    const gotV = join(dir, 'got-v.bin');
    const v = client(['nfs-cp', nfsUrl(String(vshare.uri), 'data.bin'), gotV]);
    assert.equal(v.code, 0, v.out);
    assert.equal(sha256(readFileSync(gotV)), before.sum, 'the clone has the bytes of the snapshot');
    assert.notEqual(
      client(['nfs-ls', nfsUrl(String(vshare.uri), 'after.bin')]).code,
      0,
      'nor what the origin got after it',
    );
  },
);

test(
  'NFS: a clone shared after its origin share went (its ganesha Export_Id freed) serves the clone',
  { skip },
  async (t) => {
    const { c } = await vsnapRig(t);
    const pool = (await c.admin.get<{ items: { id: string }[] }>('pools')).items[0]!.id;
    const data = randomBytes(2 * MiB);
    const nfs = { protocol: 'nfs', allowed: ['127.0.0.1'], root_squash: false };
    const mk = async (name: string) =>
      (
        await c.admin.request<{ id: string; path: string }>('POST', 'volumes?wait=60', {
          pool,
          name,
          type: 'filesystem',
          size: 128 * MiB,
        })
      ).body;
    // 1. the origin's export first (Export_Id 1), then another that keeps ganesha running throughout
    const vol = await mk('origin');
    const origin = (await c.admin.request<Exp>('POST', `volumes/${vol.id}/exports?wait=60`, nfs)).body;
    const other = await mk('other');
    await c.admin.request('POST', `volumes/${other.id}/exports?wait=60`, nfs);
    writeFileSync(join(vol.path, 'data.bin'), data);
    const listed = client(['nfs-ls', origin.uri]);
    assert.match(listed.out, /data\.bin/, 'ganesha has served the origin');
    const snap = (
      await c.admin.request<{ id: string }>('POST', `volumes/${vol.id}/snapshots?wait=60`, { name: 's1' })
    ).body;
    // 2. the origin's share goes, the clone's share comes (and takes the freed Export_Id)
    assert.equal((await c.admin.request('DELETE', `exports/${origin.id}?wait=60`)).status, 204);
    const clone = (
      await c.admin.request<{ id: string }>('POST', `snapshots/${snap.id}/clone?wait=60`, { name: 'c1' })
    ).body;
    const share = (await c.admin.request<Exp>('POST', `volumes/${clone.id}/exports?wait=60`, nfs)).body;
    const got = join(c.dataDir, 'got.bin');
    const r = client(['nfs-cp', nfsUrl(share.uri, 'data.bin'), got]);
    assert.equal(r.code, 0, `the clone's share lacks the file: ${r.out}`);
    assert.equal(sha256(readFileSync(got)), sha256(data));
    const all = await c.admin.get<{ items: { id: string }[] }>('exports');
    for (const e of all.items)
      assert.equal((await c.admin.request('DELETE', `exports/${e.id}?wait=60`)).status, 204);
  },
);
