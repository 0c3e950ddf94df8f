// A kill -9 of cairnd while volumes are attached: after the restart every mount is there exactly
// once (adopted, or made again when it went missing), the loop device is the same one, and the
// attachment counts are right; detaching afterwards leaves nothing behind.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startCairnProcess } from '../support/cairn.js';
import { realPartsSkip, sh } from '../support/real.js';
import {
  attach,
  mountCount,
  mountRoot,
  MiB,
  poolWithVolumes,
  type AttachmentWire,
} from './attachments-support.js';

const skip = realPartsSkip();
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

test(
  'kill -9 while attached: after the restart every mount is there once, counted right',
  { skip },
  async (t) => {
    const root = mountRoot(t);
    const c1 = await startCairnProcess(t, { env: { CAIRN_MOUNT_ROOTS: root } });
    const {
      ids: [fs, lun],
    } = await poolWithVolumes(c1.admin, [
      { name: 'fs', type: 'filesystem', size: 64 * MiB },
      { name: 'lun', type: 'lun', size: 64 * MiB },
    ]);
    const fsAt = join(root, 'fs');
    const lunAt = join(root, 'lun');
    await attach(c1.admin, fs!, { requester: 'c1', mount_path: fsAt });
    await attach(c1.admin, fs!, { requester: 'c2' });
    const l = await attach(c1.admin, lun!, { requester: 'c1', mount_path: lunAt });
    const data = randomBytes(2 * MiB);
    writeFileSync(join(fsAt, 'f'), data);
    writeFileSync(join(lunAt, 'l'), data);
    const lunFile = sh(['losetup', '-n', '-O', 'BACK-FILE', l.device_path!]).trim();

    await c1.kill9();
    // The kernel keeps the mounts; one goes missing too, as after a reboot.
    assert.equal(mountCount(fsAt), 1);
    assert.equal(mountCount(lunAt), 1);
    sh(['umount', fsAt]);

    const c2 = await c1.start();
    assert.equal(mountCount(fsAt), 1, 'the missing mount is made again, once');
    assert.equal(mountCount(lunAt), 1, 'the surviving mount is adopted, not doubled');
    assert.equal(sh(['losetup', '-j', lunFile]).trim().split('\n').length, 1, 'one loop device');
    assert.equal(sha(readFileSync(join(fsAt, 'f'))), sha(data));
    assert.equal(sha(readFileSync(join(lunAt, 'l'))), sha(data));
    const all = await c2.admin.get<{ items: AttachmentWire[]; total: number }>('attachments');
    assert.equal(all.total, 3);
    assert.ok(all.items.every((a) => a.state === 'attached'));
    assert.equal(all.items.find((a) => a.volume_id === lun)!.device_path, l.device_path);
    assert.equal((await c2.admin.get<{ attachments: number }>(`volumes/${fs}`)).attachments, 2);

    // A second restart changes nothing.
    await c2.stop();
    const c3 = await c2.start();
    assert.equal(mountCount(fsAt), 1);
    assert.equal(mountCount(lunAt), 1);

    for (const a of all.items) await c3.admin.request('DELETE', `attachments/${a.id}`);
    assert.equal(mountCount(fsAt), 0);
    assert.equal(mountCount(lunAt), 0);
    assert.equal(sh(['losetup', '-j', lunFile]).trim(), '');
  },
);
