// Attachments on real pools: a filesystem volume bind-mounted under an allowed mount root, shared
// by requesters and reference-counted; a lun on a loop device, formatted once and mounted; delete
// refused while attached; paths outside the roots and through symlinks refused.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startCairn } from '../support/cairn.js';
import { realPartsSkip, sh, tempDir } from '../support/real.js';
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

test(
  'filesystem volume: attach at a path, share between requesters, detach, re-attach',
  { skip },
  async (t) => {
    const root = mountRoot(t);
    process.env.CAIRN_MOUNT_ROOTS = root;
    const c = await startCairn(t);
    const {
      ids: [vol, other],
    } = await poolWithVolumes(c.admin, [
      { name: 'fs1', type: 'filesystem', size: 64 * MiB },
      { name: 'fs2', type: 'filesystem', size: 64 * MiB },
    ]);
    const at = join(root, 'apps', 'one');
    const a1 = await attach(c.admin, vol!, { requester: 'ctr-1', mount_path: at });
    assert.equal(a1.mount_path, at);
    assert.equal(a1.device_path, null);
    assert.equal(a1.state, 'attached');
    assert.equal(mountCount(at), 1);
    writeFileSync(join(at, 'data.txt'), 'kept');
    // btrfs keeps no I/O counters per subvolume: a filesystem volume's stats have sizes only.
    await c.app.services.monitor.sampleNow();
    const st = await c.admin.get<{ metrics: Record<string, number> }>(`stats/volume/${vol}?view=live`);
    assert.ok(st.metrics.size_bytes! > 0);
    assert.equal(st.metrics.written_bytes_total, undefined);

    // The same requester again: the same attachment. Another one: the same mount, counted.
    assert.equal((await attach(c.admin, vol!, { requester: 'ctr-1', mount_path: at })).id, a1.id);
    const a2 = await attach(c.admin, vol!, { requester: 'ctr-2' });
    assert.notEqual(a2.id, a1.id);
    assert.equal(a2.mount_path, at);
    assert.equal(mountCount(at), 1);
    const listed = await c.admin.get<{ items: AttachmentWire[]; total: number }>(
      `attachments?volume_id=${vol}`,
    );
    // A key limited to another pool sees none of them.
    const key = (
      await c.admin.request<{ key: string }>('POST', 'api-keys', { name: 'other', pools: ['elsewhere'] })
    ).body.key;
    assert.equal((await c.withKey(key).get<{ total: number }>('attachments')).total, 0);
    await refused(c.withKey(key).get(`attachments/${a1.id}`), 'OUT_OF_SCOPE');
    assert.equal(listed.total, 2);
    assert.equal((await c.admin.get<{ total: number }>('attachments?requester=ctr-2')).total, 1);
    const v = await c.admin.get<{ dependents: { kind: string }[]; attachments: number }>(`volumes/${vol}`);
    assert.equal(v.attachments, 2);
    await refused(attach(c.admin, vol!, { requester: 'ctr-3', read_only: true }), 'ATTACHMENT_CONFLICT');
    await refused(
      attach(c.admin, vol!, { requester: 'ctr-3', mount_path: join(root, 'x') }),
      'ATTACHMENT_CONFLICT',
    );

    // Delete refused while attached.
    await refused(c.admin.request('DELETE', `volumes/${vol}`), 'VOLUME_IN_USE');

    // Paths: outside the roots, through a symlink, over an existing mount.
    const outside = tempDir(t);
    await refused(
      attach(c.admin, other!, { requester: 'x', mount_path: join(outside, 'm') }),
      'MOUNT_PATH_NOT_ALLOWED',
    );
    await refused(
      attach(c.admin, other!, { requester: 'x', mount_path: `${root}/../escape` }),
      'MOUNT_PATH_NOT_ALLOWED',
    );
    symlinkSync(outside, join(root, 'link'));
    await refused(
      attach(c.admin, other!, { requester: 'x', mount_path: join(root, 'link', 'm') }),
      'MOUNT_PATH_NOT_ALLOWED',
    );
    assert.equal(existsSync(join(outside, 'm')), false, 'nothing made through the symlink');
    await refused(attach(c.admin, other!, { requester: 'x', mount_path: at }), 'MOUNT_PATH_BUSY');
    // A path Cairn chooses when none is asked; through the CLI.
    const own = JSON.parse(await cli(c, ['volumes', 'attach', 'fs2', '--requester', 'x'])) as AttachmentWire;
    assert.equal(own.mount_path, join(c.dataDir, 'mounts', other!));
    assert.equal(mountCount(own.mount_path!), 1);
    const shown = JSON.parse(await cli(c, ['attachments', 'list', '--volume', 'fs2'])) as {
      items: AttachmentWire[];
    };
    assert.deepEqual(
      shown.items.map((a) => a.id),
      [own.id],
    );
    await cli(c, ['attachments', 'delete', own.id]);
    assert.equal(mountCount(own.mount_path!), 0);

    // Detach: the first leaves the mount, the last unmounts.
    await c.admin.request('DELETE', `attachments/${a1.id}`);
    assert.equal(mountCount(at), 1);
    await refused(c.admin.get(`attachments/${a1.id}`), 'ATTACHMENT_NOT_FOUND');
    await c.admin.request('DELETE', `attachments/${a2.id}`);
    assert.equal(mountCount(at), 0);
    assert.equal(existsSync(join(at, 'data.txt')), false);

    // Re-attach: the data is still there.
    const a3 = await attach(c.admin, vol!, { requester: 'ctr-1', mount_path: at, read_only: true });
    assert.equal(readFileSync(join(at, 'data.txt'), 'utf8'), 'kept');
    assert.throws(() => writeFileSync(join(at, 'new.txt'), 'x'), /EROFS|read-only/i);
    // A forced delete detaches first.
    await c.admin.request('DELETE', `volumes/${vol}?cascade=true&wait=60`);
    assert.equal(mountCount(at), 0);
    await refused(c.admin.get(`attachments/${a3.id}`), 'ATTACHMENT_NOT_FOUND');
  },
);

test('lun: a loop device, formatted once, mounted; 10 MiB read back', { skip }, async (t) => {
  const root = mountRoot(t);
  process.env.CAIRN_MOUNT_ROOTS = root;
  const c = await startCairn(t);
  const {
    ids: [lun, xl],
  } = await poolWithVolumes(c.admin, [
    { name: 'l1', type: 'lun', size: 128 * MiB },
    // mkfs.xfs wants 300 MiB at least.
    { name: 'x1', type: 'lun', size: 320 * MiB },
  ]);
  // As a block device only.
  const dev = await attach(c.admin, lun!, { requester: 'host' });
  assert.match(dev.device_path ?? '', /^\/dev\/loop\d+$/);
  assert.equal(dev.mount_path, null);
  const back = sh(['losetup', '-n', '-O', 'BACK-FILE', dev.device_path!]).trim();
  assert.match(back, new RegExp(`${lun}/lun\\.img$`));
  // Attached as a device only: it cannot also be mounted for another requester.
  await refused(attach(c.admin, lun!, { requester: 'ctr', mount: true }), 'ATTACHMENT_CONFLICT');
  await c.admin.request('DELETE', `attachments/${dev.id}`);
  assert.equal(sh(['losetup', '-j', back]).trim(), '', 'loop device detached');

  // Mounted: formatted (ext4 by default), data written and read back.
  const at = join(root, 'lun');
  const a = await attach(c.admin, lun!, { requester: 'ctr', mount_path: at });
  assert.match(a.device_path ?? '', /^\/dev\/loop\d+$/);
  assert.equal(sh(['findmnt', '-rn', '-o', 'FSTYPE', at]).trim(), 'ext4');
  const data = randomBytes(10 * MiB);
  writeFileSync(join(at, 'blob'), data);
  const uuid = sh(['blkid', '-p', '-o', 'value', '-s', 'UUID', a.device_path!]).trim();
  // The lun's I/O counters come from its loop device; a filesystem volume has none.
  sh(['sync', '-f', join(at, 'blob')]);
  await c.app.services.monitor.sampleNow();
  await c.app.services.monitor.sampleNow();
  const io = await c.admin.get<{ metrics: Record<string, number> }>(`stats/volume/${lun}?view=live`);
  assert.ok(io.metrics.written_bytes_total! >= 10 * MiB, JSON.stringify(io.metrics));
  assert.ok(io.metrics.writes_total! > 0);
  assert.ok(io.metrics.written_bytes_per_second! >= 0);
  assert.ok(io.metrics.size_bytes! > 0);
  await c.admin.request('DELETE', `attachments/${a.id}`);
  assert.equal(mountCount(at), 0);
  await c.app.services.monitor.sampleNow();
  const detached = await c.admin.get<{ metrics: Record<string, number> }>(`stats/volume/${lun}?view=live`);
  assert.equal(detached.metrics.written_bytes_total, undefined, 'no counters once detached');
  // Attached again (even asking for xfs): the same filesystem, not formatted again, data intact.
  await assert.rejects(
    attach(c.admin, lun!, { requester: 'ctr', mount_path: at, fs: 'xfs' }),
    /LUN|holds ext4/,
  );
  const b = await attach(c.admin, lun!, { requester: 'ctr', mount_path: at });
  assert.equal(sh(['blkid', '-p', '-o', 'value', '-s', 'UUID', b.device_path!]).trim(), uuid);
  assert.equal(sha(readFileSync(join(at, 'blob'))), sha(data));
  await c.admin.request('DELETE', `attachments/${b.id}`);
  assert.equal(mountCount(at), 0);
  // `mount` without a path: mounted where Cairn chooses, as a filesystem volume is.
  const own = await attach(c.admin, lun!, { requester: 'docker:x', mount: true });
  assert.equal(own.mount_path, join(c.dataDir, 'mounts', lun!));
  assert.equal(mountCount(own.mount_path), 1);
  assert.equal(sha(readFileSync(join(own.mount_path, 'blob'))), sha(data));
  await c.admin.request('DELETE', `attachments/${own.id}`);
  assert.equal(mountCount(own.mount_path), 0);
  assert.equal(existsSync(own.mount_path), false, 'its directory is removed');

  // xfs when asked, read-only sharing refused for a lun that holds nothing yet.
  const xat = join(root, 'xfs');
  await assert.rejects(
    attach(c.admin, xl!, { requester: 'r', mount_path: xat, read_only: true }),
    /no filesystem/,
  );
  const x = await attach(c.admin, xl!, { requester: 'r', mount_path: xat, fs: 'xfs' });
  assert.equal(sh(['findmnt', '-rn', '-o', 'FSTYPE', xat]).trim(), 'xfs');
  writeFileSync(join(xat, 'small'), data.subarray(0, MiB));
  await c.admin.request('DELETE', `attachments/${x.id}`);
  assert.equal(mountCount(xat), 0);
  const y = await attach(c.admin, xl!, { requester: 'r', mount_path: xat, read_only: true });
  assert.equal(sha(readFileSync(join(xat, 'small'))), sha(data.subarray(0, MiB)));
  await c.admin.request('DELETE', `attachments/${y.id}`);
  assert.equal(mountCount(xat), 0);
});
