// An attachment's mount moved in place (PATCH /api/v1/attachments/{id}): a lun attached as a block
// device gains a mount (formatted once) and drops it again while its loop device stays; the new
// path is durable across a restart; the mount-root, symlink and over-a-mount rules hold; a mount
// another requester shares is not pulled away; a filesystem volume moves between Cairn's own path
// and a requested one.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startCairn } from '../support/cairn.js';
import { realPartsSkip, sh, tempDir } from '../support/real.js';
import type { Client } from '../../src/cli/client.js';
import {
  attach,
  cli,
  mountCount,
  mountRoot,
  MiB,
  poolWithVolumes,
  refused,
  type AttachmentWire,
} from './attachments-support.js';

const skip = realPartsSkip();
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

const setMount = (c: Client, id: string, body: Record<string, unknown>) =>
  c.request<AttachmentWire>('PATCH', `attachments/${id}`, body).then((r) => r.body);

test('an attachment gains and drops a mount in place, durably', { skip }, async (t) => {
  const root = mountRoot(t);
  const c = await startCairn(t, { env: { CAIRN_MOUNT_ROOTS: root } });
  const {
    ids: [lun, fs],
  } = await poolWithVolumes(c.admin, [
    { name: 'l1', type: 'lun', size: 128 * MiB },
    { name: 'f1', type: 'filesystem', size: 64 * MiB },
  ]);

  // A block device first; then a mount at a path, on the same loop device (formatted: ext4).
  const a = await attach(c.admin, lun!, { requester: 'host' });
  const dev = a.device_path!;
  assert.match(dev, /^\/dev\/loop\d+$/);
  const back = sh(['losetup', '-n', '-O', 'BACK-FILE', dev]).trim();
  const at = join(root, 'l1');
  const m = await setMount(c.admin, a.id, { mount_path: at });
  assert.equal(m.id, a.id);
  assert.equal(m.mount_path, at);
  assert.equal(m.device_path, dev, 'the same loop device');
  assert.equal(sh(['losetup', '-j', back]).trim().split('\n').length, 1, 'one loop device');
  assert.equal(mountCount(at), 1);
  assert.equal(sh(['findmnt', '-rn', '-o', 'SOURCE,FSTYPE', at]).trim(), `${dev} ext4`);
  const uuid = sh(['blkid', '-p', '-o', 'value', '-s', 'UUID', dev]).trim();
  const data = randomBytes(10 * MiB);
  writeFileSync(join(at, 'blob'), data);
  // Asked again: nothing changes.
  assert.equal((await setMount(c.admin, a.id, { mount_path: at })).mount_path, at);
  assert.equal(mountCount(at), 1);

  // Refused: outside the roots, through a symlink, over a mount, another filesystem than the lun's.
  const outside = tempDir(t);
  await refused(setMount(c.admin, a.id, { mount_path: join(outside, 'm') }), 'MOUNT_PATH_NOT_ALLOWED');
  symlinkSync(outside, join(root, 'link'));
  await refused(setMount(c.admin, a.id, { mount_path: join(root, 'link', 'm') }), 'MOUNT_PATH_NOT_ALLOWED');
  assert.equal(existsSync(join(outside, 'm')), false, 'nothing made through the symlink');
  const other = await attach(c.admin, fs!, { requester: 'x', mount_path: join(root, 'f1') });
  await refused(setMount(c.admin, a.id, { mount_path: join(root, 'f1') }), 'MOUNT_PATH_BUSY');
  await refused(
    setMount(c.admin, a.id, { mount_path: join(root, 'n'), fs: 'xfs' }),
    'LUN_FILESYSTEM_MISMATCH',
  );
  await c.admin.request('DELETE', `attachments/${other.id}`);
  assert.equal(mountCount(at), 1, 'still where it was');
  // A second requester shares the mount: it is not pulled away from under it.
  const b = await attach(c.admin, lun!, { requester: 'second' });
  assert.equal(b.mount_path, at);
  await refused(setMount(c.admin, a.id, { mount_path: null }), 'ATTACHMENT_CONFLICT');
  await c.admin.request('DELETE', `attachments/${b.id}`);

  // Unmounted in place: the device stays attached, the attachment too.
  const u = await setMount(c.admin, a.id, { mount_path: null });
  assert.equal(u.mount_path, null);
  assert.equal(u.device_path, dev);
  assert.equal(mountCount(at), 0);
  assert.equal(sh(['losetup', '-j', back]).trim().split('\n').length, 1);
  assert.equal((await c.admin.get<{ attachments: number }>(`volumes/${lun}`)).attachments, 1);

  // Mounted again elsewhere (through the CLI): not formatted again, the data is there.
  const at2 = join(root, 'deeper', 'l1');
  const again = JSON.parse(await cli(c, ['attachments', 'mount', a.id, at2])) as AttachmentWire;
  assert.equal(again.mount_path, at2);
  assert.equal(sh(['blkid', '-p', '-o', 'value', '-s', 'UUID', dev]).trim(), uuid);
  assert.equal(sha(readFileSync(join(at2, 'blob'))), sha(data));

  // Durable: after a restart the mount is at the new path, once.
  const c2 = await c.restart();
  assert.equal(mountCount(at2), 1);
  assert.equal(mountCount(at), 0);
  const shown = await c2.admin.get<AttachmentWire>(`attachments/${a.id}`);
  assert.equal(shown.mount_path, at2);
  assert.equal(shown.device_path, dev);

  // Maintenance refuses a new mount, not an unmount.
  await c2.admin.request('POST', 'system/maintenance', { enabled: true });
  await refused(setMount(c2.admin, a.id, { mount_path: at }), 'MAINTENANCE_MODE');
  assert.equal((await setMount(c2.admin, a.id, { mount_path: null })).mount_path, null);
  await c2.admin.request('POST', 'system/maintenance', { enabled: false });

  // The last detach leaves nothing.
  await c2.admin.request('DELETE', `attachments/${a.id}`);
  assert.equal(sh(['losetup', '-j', back]).trim(), '', 'loop device detached');
  await refused(setMount(c2.admin, a.id, { mount_path: at }), 'ATTACHMENT_NOT_FOUND');

  // A filesystem volume moves from Cairn's own path to a requested one and back.
  const f = await attach(c2.admin, fs!, { requester: 'y' });
  const own = f.mount_path!;
  assert.equal(own, join(c2.dataDir, 'mounts', fs!));
  writeFileSync(join(own, 'kept'), 'yes');
  const fat = join(root, 'fs-here');
  assert.equal((await setMount(c2.admin, f.id, { mount_path: fat })).mount_path, fat);
  assert.equal(mountCount(own), 0);
  assert.equal(existsSync(own), false, "Cairn's own directory removed");
  assert.equal(readFileSync(join(fat, 'kept'), 'utf8'), 'yes');
  assert.equal((await setMount(c2.admin, f.id, { mount_path: null })).mount_path, own);
  assert.equal(mountCount(fat), 0);
  assert.equal(mountCount(own), 1);
  await c2.admin.request('DELETE', `attachments/${f.id}`);
  assert.equal(mountCount(own), 0);
});
