// vSnap seed 001 §2, §4, §6, §7 as an independent client saw them: init status through an
// asynchronous init, multipool as asked, the distribution (not the kernel) as os_name/os_version,
// pool status in vSnap's words, a raid0 of one disk, network services in vSnap's vocabulary.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startCairn, ADMIN_PASSWORD, type InProcessCairn } from '../support/cairn.js';
import { realPartsSkip, waitFor } from '../support/real.js';
import { readOsRelease } from '../../src/system/osrelease/index.js';

const MiB = 1024 ** 2;

async function vsnap(c: InProcessCairn, method: string, path: string, body?: unknown) {
  const res = await fetch(`${c.url}${path}`, {
    method,
    headers: {
      authorization: `Basic ${Buffer.from(`admin:${ADMIN_PASSWORD}`).toString('base64')}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : {}) as Record<string, unknown> };
}

const newDisk = async (c: InProcessCairn) =>
  (await c.admin.request<{ id: string; path: string }>('POST', 'disks?wait=60', { size: 512 * MiB })).body;

test(
  'vSnap system: asynchronous init goes Initializing → Ready, multipool as asked, the distribution named',
  { skip: realPartsSkip() },
  async (t) => {
    const c = await startCairn(t);
    await newDisk(c);
    const before = await vsnap(c, 'GET', '/api/system');
    assert.equal(before.status, 200);
    assert.equal(before.body.init_status, 'Not Initialized');
    assert.equal(before.body.multipool, false);
    const os = await readOsRelease();
    assert.equal(before.body.os_name, os.name);
    assert.equal(before.body.os_version, os.version);
    assert.notEqual(before.body.os_name, 'Linux', 'the distribution, not the kernel');
    const native = await c.admin.get<{ os_name: string; os_version: string }>('system');
    assert.equal(native.os_name, os.name);
    assert.equal(native.os_version, os.version);

    const init = await vsnap(c, 'POST', '/api/system', { action: 'init', async: true });
    assert.equal(init.status, 200, JSON.stringify(init.body));
    assert.ok(
      ['Initializing', 'Ready'].includes(String(init.body.init_status)),
      String(init.body.init_status),
    );
    assert.equal(init.body.multipool, false, 'multipool is false when none was asked');
    const ready = await waitFor('init to finish', async () => {
      const s = await vsnap(c, 'GET', '/api/system');
      return s.body.init_status === 'Ready' ? s.body : undefined;
    });
    assert.equal(ready.multipool, false);

    // The pool the init made: one disk, vSnap's words for its status and type.
    const pools = await vsnap(c, 'GET', '/api/pool');
    const pool = (pools.body.pools as Record<string, unknown>[])[0]!;
    assert.equal(pool.status, 'ONLINE');
    assert.equal(pool.health, '100');
    assert.equal(pool.pool_type, 'raid0', 'a stripe of one');

    // A synchronous init asking for multipool reports it.
    const again = await vsnap(c, 'POST', '/api/system', { action: 'init', skip_pool: true, multipool: true });
    assert.equal(again.body.multipool, true);
    assert.equal(again.body.init_status, 'Ready');
  },
);

test(
  'vSnap pools: raid0 of one disk is accepted (btrfs single); statuses are vSnap words',
  { skip: realPartsSkip() },
  async (t) => {
    const c = await startCairn(t);
    const d = await newDisk(c);
    const made = await vsnap(c, 'POST', '/api/pool', {
      name: 'stripe',
      pool_type: 'raid0',
      disk_list: [d.id],
    });
    assert.equal(made.status, 200, JSON.stringify(made.body));
    assert.equal(made.body.status, 'ONLINE');
    assert.equal(made.body.pool_type, 'raid0');
    const native = await c.admin.get<{ items: { name: string; profile: string }[] }>('pools?name=stripe');
    assert.equal(native.items[0]!.profile, 'single');
    // Disks report vSnap's used_as words.
    const disks = await vsnap(c, 'GET', '/api/disk');
    const mine = (disks.body.disks as Record<string, unknown>[]).find((x) => x.uuid === d.id)!;
    assert.equal(mine.used_as, 'pool');
    assert.equal(mine.vendor, 'Cairn');
  },
);

test('vSnap network: only vSnap services are listed; every interface has its hardware address', async (t) => {
  const c = await startCairn(t);
  const net = await vsnap(c, 'GET', '/api/network');
  assert.equal(net.status, 200);
  const nics = net.body.networks as { name: string; hw_addr: string; services: string[] }[];
  assert.ok(nics.length > 0);
  for (const n of nics) {
    assert.match(n.hw_addr, /^[0-9a-f]{12}$/, `${n.name} has a hardware address`);
    assert.ok(
      n.services.every((s) => ['mgmt', 'nfs', 'smb', 'iscsi'].includes(s)),
      n.services.join(),
    );
  }
  const lo = nics.find((n) => n.name === 'lo');
  if (lo) {
    const set = await vsnap(c, 'PUT', `/api/network/${encodeURIComponent(lo.name)}`, { services: ['all'] });
    assert.deepEqual((set.body as { services: string[] }).services, ['mgmt', 'nfs', 'smb', 'iscsi']);
  }
});
