// NFS (ganesha) and SMB (Samba) exports with real clients: libnfs nfs-cp round trip over NFSv3,
// read-only and outside-the-allowed-list refused; smbclient put/get, a wrong password and a
// read-only share refused; killing ganesha and smbd brings them back configured. NFS tests run
// serially in this one file (rpcbind is machine-global).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { exportRig, client, service, sha256, MiB, type ExportBody } from './exports-support.js';
import { realPartsSkip, waitFor } from '../support/real.js';

const skip = realPartsSkip();

/** nfs://host/path?opts + /file → nfs://host/path/file?opts */
const nfsFile = (uri: string, file: string) => {
  const [base, q] = uri.split('?');
  return `${base}/${file}${q ? `?${q}` : ''}`;
};

test(
  'NFS exports: nfs-cp round trip (v3), read-only and a host outside the list refused, ganesha restarts',
  { skip },
  async (t) => {
    const rig = await exportRig(t);
    const c = rig.cairn;
    const rw = (
      await c.admin.request<ExportBody>('POST', `volumes/${rig.fs.id}/exports?wait=60`, {
        protocol: 'nfs',
        allowed: ['127.0.0.1'],
        root_squash: false,
      })
    ).body;
    assert.equal(rw.state, 'active', JSON.stringify(rw));
    assert.match(rw.uri, /^nfs:\/\/127\.0\.0\.1\//);
    const src = rig.randomFile('src.bin', 32 * MiB);
    const put = client(['nfs-cp', src.path, nfsFile(rw.uri, 'up.bin')]);
    assert.equal(put.code, 0, put.out);
    assert.equal(sha256(readFileSync(join(rig.fs.path, 'up.bin'))), src.sum, 'bytes are in the volume');
    const back = join(rig.dir, 'back.bin');
    const get = client(['nfs-cp', nfsFile(rw.uri, 'up.bin'), back]);
    assert.equal(get.code, 0, get.out);
    assert.equal(sha256(readFileSync(back)), src.sum);

    // read-only: reads work, writes refused; a second export reloads ganesha without dropping the first
    const ro = (
      await c.admin.request<ExportBody>('POST', `volumes/${rig.fs.id}/exports?wait=60`, {
        protocol: 'nfs',
        allowed: ['127.0.0.0/8'],
        read_only: true,
        root_squash: false,
      })
    ).body;
    const roGet = client(['nfs-cp', nfsFile(ro.uri, 'up.bin'), `${back}.ro`]);
    assert.equal(roGet.code, 0, roGet.out);
    const roPut = client(['nfs-cp', src.path, nfsFile(ro.uri, 'denied.bin')]);
    assert.notEqual(roPut.code, 0, 'a read-only export refuses writes');
    assert.match(roPut.out, /ROFS|Read-only|denied|failed/i);

    // only 192.0.2.0/24 may mount: 127.0.0.1 is refused
    const other = (
      await c.admin.request<ExportBody>('POST', `volumes/${rig.fs.id}/exports?wait=60`, {
        protocol: 'nfs',
        allowed: ['192.0.2.0/24'],
      })
    ).body;
    const refused = client(['nfs-ls', other.uri]);
    assert.notEqual(refused.code, 0, `outside the allowed list: ${refused.out}`);
    const stillThere = client(['nfs-ls', rw.uri]);
    assert.equal(stillThere.code, 0, 'the first export survived two reloads');
    assert.match(stillThere.out, /up\.bin/);

    // kill ganesha: it comes back with every export
    const before = await service(c, 'ganesha');
    assert.equal(before?.state, 'running');
    process.kill(before!.pid!, 'SIGKILL');
    await waitFor(
      'ganesha restarted',
      async () => {
        const s = await service(c, 'ganesha');
        return s?.state === 'running' && s.pid !== before!.pid && s.restarts >= 1;
      },
      60_000,
    );
    const get2 = await waitFor('NFS answers again', () => {
      const r = client(['nfs-cp', nfsFile(rw.uri, 'up.bin'), `${back}2`]);
      return r.code === 0 ? r : undefined;
    });
    assert.equal(get2.code, 0);
    assert.equal(sha256(readFileSync(`${back}2`)), src.sum);

    for (const e of [rw, ro, other])
      assert.equal((await c.admin.request('DELETE', `exports/${e.id}?wait=60`)).status, 204);
    assert.equal((await service(c, 'ganesha'))?.state, 'stopped');
    assert.notEqual((await service(c, 'rpcbind'))?.state, 'running');
  },
);

test(
  'SMB shares: smbclient put/get, wrong password and read-only refused, smbd restarts',
  { skip },
  async (t) => {
    const rig = await exportRig(t);
    const c = rig.cairn;
    const share = (
      await c.admin.request<ExportBody>('POST', `volumes/${rig.fs.id}/exports?wait=60`, {
        protocol: 'smb',
        name: 'data',
        users: [{ name: 'alice', password: 'Alice-passw0rd' }],
        allowed: ['127.0.0.1'],
      })
    ).body;
    assert.equal(share.state, 'active', JSON.stringify(share));
    assert.equal(share.uri, `smb://127.0.0.1:${rig.ports.smb}/data`);
    assert.doesNotMatch(JSON.stringify(await c.admin.get(`exports/${share.id}`)), /Alice-passw0rd/);
    const creds = (user: string, pw: string) => {
      const f = join(rig.dir, `creds-${user}-${pw.length}`);
      writeFileSync(f, `username = ${user}\npassword = ${pw}\n`, { mode: 0o600 });
      return f;
    };
    const smb = (name: string, cred: string, cmd: string) =>
      client(['smbclient', '-p', String(rig.ports.smb), `//127.0.0.1/${name}`, '-A', cred, '-c', cmd]);
    const src = rig.randomFile('src.bin', 32 * MiB);
    const back = join(rig.dir, 'back.bin');
    const ok = smb('data', creds('alice', 'Alice-passw0rd'), `put ${src.path} up.bin; get up.bin ${back}`);
    assert.equal(ok.code, 0, ok.out);
    assert.equal(sha256(readFileSync(back)), src.sum);
    assert.equal(sha256(readFileSync(join(rig.fs.path, 'up.bin'))), src.sum);

    const bad = smb('data', creds('alice', 'Wrong-passw0rd'), 'ls');
    assert.notEqual(bad.code, 0);
    assert.match(bad.out, /LOGON_FAILURE/);

    const ro = (
      await c.admin.request<ExportBody>('POST', `volumes/${rig.fs.id}/exports?wait=60`, {
        protocol: 'smb',
        name: 'dataro',
        read_only: true,
        users: [{ name: 'bob', password: 'Bob-passw0rd1' }],
      })
    ).body;
    const bob = creds('bob', 'Bob-passw0rd1');
    const roGet = smb('dataro', bob, `get up.bin ${back}.ro`);
    assert.equal(roGet.code, 0, roGet.out);
    const roPut = smb('dataro', bob, `put ${src.path} denied.bin`);
    assert.match(roPut.out, /ACCESS_DENIED/, 'a read-only share refuses writes');

    const before = await service(c, 'smbd');
    assert.equal(before?.state, 'running');
    process.kill(before!.pid!, 'SIGKILL');
    await waitFor(
      'smbd restarted',
      async () => {
        const s = await service(c, 'smbd');
        return s?.state === 'running' && s.pid !== before!.pid && s.restarts >= 1;
      },
      60_000,
    );
    const again = smb('data', creds('alice', 'Alice-passw0rd'), `get up.bin ${back}2`);
    assert.equal(again.code, 0, again.out);
    assert.equal(sha256(readFileSync(`${back}2`)), src.sum);

    const accounts = [share, ro].flatMap((e) => (e.options.users as string[]).map(() => e.id));
    assert.equal(accounts.length, 2);
    for (const e of [share, ro])
      assert.equal((await c.admin.request('DELETE', `exports/${e.id}?wait=60`)).status, 204);
    assert.equal((await service(c, 'smbd'))?.state, 'stopped');
    const passwd = readFileSync('/etc/passwd', 'utf8');
    for (const e of [share, ro])
      assert.doesNotMatch(passwd, new RegExp(`cairn-${e.id.replace(/-/g, '').slice(0, 12)}`));
  },
);
