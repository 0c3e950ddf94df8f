// File-backed luns: a lun volume whose data file sits at a relative path inside a filesystem
// volume (vSnap's `filebackedlun`). The path stays inside (no `..`, no absolute path, no symlink on
// the way); the lun is exported over iSCSI and written and read back with qemu-img (libiscsi),
// natively and through vSnap.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { realPartsSkip } from '../support/real.js';
import { expectError } from '../support/api.js';
import { client, sha256, MiB } from './exports-support.js';
import { ok, vsnap, vsnapRig } from './vsnap-support.js';

const skip = realPartsSkip();
const IQN = 'iqn.2024-01.io.cairn.test:file-lun';

interface Vol {
  id: string;
  path: string;
  lun_file: string | null;
  parent: string | null;
  parent_path: string | null;
  size: number;
  state: string;
}

test(
  'a lun whose data is a file inside a filesystem volume: made, exported over iSCSI, bytes checked',
  { skip },
  async (t) => {
    const { c, pool: vsnapPool } = await vsnapRig(t);
    const pool = (await c.admin.get<{ items: { id: string }[] }>('pools')).items[0]!.id;
    const fs = (
      await c.admin.request<Vol>('POST', 'volumes?wait=60', {
        pool,
        name: 'files',
        type: 'filesystem',
        size: 512 * MiB,
      })
    ).body;
    const lunBody = (name: string, parent_path: string) => ({
      pool,
      name,
      type: 'lun',
      size: 32 * MiB,
      parent: fs.id,
      parent_path,
    });

    // 1. paths that would leave the volume are refused before any job; a symlink on the way by the job
    for (const bad of ['../x.img', '/etc/x.img', 'a/../../x.img', '.hidden/x.img', 'a//b.img', 'a/'])
      await expectError(
        c.admin.request('POST', 'volumes?wait=60', lunBody('bad', bad)),
        400,
        'VALIDATION_FAILED',
      );
    const outside = join(c.dataDir, 'outside');
    mkdirSync(outside);
    symlinkSync(outside, join(fs.path, 'esc'));
    await expectError(
      c.admin.request('POST', 'volumes?wait=60', lunBody('esc', 'esc/x.img')),
      400,
      'VALIDATION_FAILED',
    );
    assert.equal(existsSync(join(outside, 'x.img')), false, 'nothing made outside the volume');
    await expectError(
      c.admin.request('POST', 'volumes?wait=60', { ...lunBody('fsp', 'x.img'), type: 'filesystem' }),
      400,
      'VALIDATION_FAILED',
    );

    // 2. the lun: its file is in the filesystem volume, made sparse at the size asked
    const lun = (await c.admin.request<Vol>('POST', 'volumes?wait=60', lunBody('flun', 'luns/disk1.img')))
      .body;
    assert.equal(lun.state, 'online');
    assert.equal(lun.parent, fs.id);
    assert.equal(lun.parent_path, 'luns/disk1.img');
    assert.equal(lun.lun_file, join(fs.path, 'luns', 'disk1.img'));
    assert.equal(lun.size, 32 * MiB);
    await expectError(
      c.admin.request('POST', `volumes/${lun.id}/snapshots?wait=60`, { name: 's' }),
      422,
      'VOLUME_FILE_BACKED',
    );
    await expectError(c.admin.request('DELETE', `volumes/${fs.id}?wait=60`), 409, 'VOLUME_IN_USE');

    // 3. over iSCSI: qemu-img (libiscsi) writes, reads back the same bytes, and they are in the file
    const host = (await c.admin.request<{ id: string }>('POST', 'hosts', { name: 'h', iqns: [IQN] })).body;
    const e = (
      await c.admin.request<{ id: string; name: string }>('POST', `volumes/${lun.id}/exports?wait=60`, {
        protocol: 'iscsi',
        hosts: [host.id],
      })
    ).body;
    const portal = process.env.CAIRN_ISCSI_PORTAL!;
    const opts = `driver=iscsi,transport=tcp,portal=${portal},target=${e.name},lun=1,initiator-name=${IQN}`;
    const src = join(c.dataDir, 'src.raw');
    assert.equal(client(['dd', 'if=/dev/urandom', `of=${src}`, 'bs=1M', 'count=16']).code, 0);
    const w = client(['qemu-img', 'convert', '-n', '-f', 'raw', '--target-image-opts', src, opts]);
    assert.equal(w.code, 0, w.out);
    const back = join(c.dataDir, 'back.raw');
    const r = client(['qemu-img', 'convert', '--image-opts', opts, '-O', 'raw', back]);
    assert.equal(r.code, 0, r.out);
    const want = sha256(readFileSync(src));
    assert.equal(sha256(readFileSync(back).subarray(0, 16 * MiB)), want);
    assert.equal(
      sha256(readFileSync(lun.lun_file!).subarray(0, 16 * MiB)),
      want,
      'the bytes are in the file',
    );

    // 4. vSnap: a filebackedlun in the same volume, mapped to a host, answers an inquiry
    const vfs = ok(await vsnap(c, 'GET', '/api/volume?name=files'), 'fs by name');
    const vlun = ok(
      await vsnap(c, 'POST', '/api/volume', {
        name: 'vflun',
        volume_type: 'filebackedlun',
        parent_id: String(vfs.id),
        parent_path: 'luns/vsnap.img',
        size_total: String(16 * MiB),
      }),
      'filebackedlun',
    );
    assert.equal(vlun.volume_type, 'filebackedlun');
    assert.equal(vlun.parent_id, String(vfs.id));
    assert.equal(vlun.parent_path, 'luns/vsnap.img');
    assert.ok(existsSync(join(fs.path, 'luns', 'vsnap.img')));
    const vhost = ok(
      await vsnap(c, 'POST', '/api/host', { name: 'vh', iqns: ['iqn.2024-01.io.cairn.test:vh'] }),
      'host',
    );
    const m = ok(
      await vsnap(c, 'POST', `/api/volume/${String(vlun.id)}/map`, { host_id: String(vhost.id) }),
      'map',
    );
    const inq = client([
      'iscsi-inq',
      '-i',
      'iqn.2024-01.io.cairn.test:vh',
      `iscsi://${portal}/${String(m.target)}/1`,
    ]);
    assert.equal(inq.code, 0, inq.out);
    void vsnapPool;

    // 5. the luns go (their files stay: they are the filesystem volume's data), then the volume
    ok(await vsnap(c, 'DELETE', `/api/volume/${String(vlun.id)}`), 'delete the vSnap lun');
    assert.equal((await c.admin.request('DELETE', `exports/${e.id}?wait=60`)).status, 204);
    assert.equal((await c.admin.request('DELETE', `volumes/${lun.id}?wait=60`)).status, 204);
    assert.ok(existsSync(join(fs.path, 'luns', 'disk1.img')));
    assert.equal((await c.admin.request('DELETE', `volumes/${fs.id}?wait=60`)).status, 204);
  },
);
