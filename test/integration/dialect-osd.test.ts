// The OpenStorage (OSD) REST API on real storage: the seed's own OSD examples (test/fixtures/seeds/
// portworx-000.txt), then OpenStorage's Go client calls replayed exactly as its source builds them
// (api/client/volume/client.go, api/client/cluster/client.go): create, inspect, enumerate by
// label, snapshot, restore, delete, the cluster, and the parts Cairn does not have.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, openSync, readFileSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { mountsUnder, realPartsSkip, sh } from '../support/real.js';
import { missingFields, seedText } from '../support/seed.js';
import { MiB, noError, ok, osd, osdRig, type OsdReply } from './osd-support.js';
import { freePort, startCairn } from '../support/cairn.js';
import { tempDir } from '../support/real.js';

const skip = realPartsSkip();
const GiB = 1024 * MiB;

interface SeedCurl {
  method: string;
  path: string;
  body: unknown;
  response: unknown;
}

/** The seed's `curl … http://localhost:9001/…` examples, each with the JSON answer shown after it. */
function seedCurls(text: string): SeedCurl[] {
  const parse = (s: string | undefined) => {
    try {
      return s === undefined ? undefined : JSON.parse(s);
    } catch {
      return undefined;
    }
  };
  const lines = text.split('\n');
  const out: SeedCurl[] = [];
  lines.forEach((line, i) => {
    const m = /curl\s+-X(\w+).*?http:\/\/localhost:9001(\S+)/.exec(line);
    if (!m) return;
    const body = /-d\s+'([^']*)'/.exec(line)?.[1];
    // The answer: the next line if it is JSON, else the next ```json block, before the next curl.
    let response: unknown;
    for (let j = i + 1; j < lines.length && !/curl\s+-X/.test(lines[j]!); j++) {
      const l = lines[j]!.trim();
      if (l.startsWith('{') || l.startsWith('[')) {
        response = parse(l) ?? response;
        if (response !== undefined) break;
      }
      if (l === '```json') {
        const end = lines.indexOf('```', j + 1);
        response = parse(lines.slice(j + 1, end).join('\n'));
        break;
      }
    }
    out.push({ method: m[1]!, path: m[2]!.replace(/\\&/g, '&'), body: parse(body), response });
  });
  return out;
}

test('the seed documents its OSD calls (the parser finds them all)', () => {
  const curls = seedCurls(seedText('portworx-000'));
  assert.deepEqual(
    curls.map((c) => `${c.method} ${c.path.split('?')[0]}`),
    [
      'GET /v1/osd-volumes/px7vol',
      'GET /statslive',
      'GET /statshistory',
      'GET /v1/osd-volumes/alerts',
      'POST /v1/osd-snapshot',
      'GET /v1/osd-snapshot',
      'GET /v1/cluster/enumerate',
      'GET /entermaintenance',
      'GET /exitmaintenance',
    ],
  );
  assert.ok(curls[0]!.response, 'the inspect example has its answer');
  assert.ok(curls[4]!.response, 'the snapshot example has its answer');
});

test('OSD: the seed examples and the Go client calls on a real pool', { skip }, async (t) => {
  const { c, tcp, unix, mountRoot } = await osdRig(t);
  const go = (method: string, path: string, body?: unknown) => osd(tcp, method, path, body);

  // ---- Create (api/client/volume/client.go Create: POST /v1/osd-volumes, VolumeCreateRequest)
  const created = noError(
    await go('POST', '/v1/osd-volumes', {
      locator: { name: 'px7vol', volume_labels: { app: 'fio', tier: 'gold' } },
      source: {},
      spec: { size: 14 * GiB, format: 2, block_size: 4096, ha_level: 1, cos: 1 },
    }),
    'create',
  );
  const volId = String(created.id);
  assert.ok(volId, 'create answers the new id');
  // The same name and size again: the same volume (OpenStorage's create is idempotent).
  const again = noError(
    await go('POST', '/v1/osd-volumes', { locator: { name: 'px7vol' }, spec: { size: 14 * GiB, format: 2 } }),
    'create again',
  );
  assert.equal(again.id, volId);

  // ---- Attach (Attach: PUT action.attach ON → the device path), mount at the caller's path
  // (Mount: action.mount ON + mount_path), 10 MiB through the mount, unmount, detach.
  const set = (body: unknown) => go('PUT', `/v1/osd-volumes/${volId}`, body);
  const attached = noError(await set({ action: { attach: 2 }, options: {} }), 'attach');
  const dev = (attached.volume as { device_path: string }).device_path;
  assert.match(dev, /^\/dev\/loop\d+$/);
  assert.equal((attached.volume as { state: number }).state, 3, 'attached');
  assert.equal(noError(await set({ action: { attach: 2 } }), 'attach again').volume !== undefined, true);
  const where = join(mountRoot, 'px7vol');
  const mounted = noError(await set({ action: { mount: 2, mount_path: where } }), 'mount');
  assert.deepEqual((mounted.volume as { attach_path: string[] }).attach_path, [where]);
  // Mounted in place: the attach's loop device is the one mounted (no detach and attach again).
  assert.equal((mounted.volume as { device_path: string }).device_path, dev);
  assert.equal(sh(['findmnt', '-rn', '-o', 'SOURCE', where]).trim(), dev);
  assert.ok(mountsUnder(mountRoot).includes(where), 'mounted where asked');
  const data = randomBytes(10 * MiB);
  const fd = openSync(join(where, 'data.bin'), 'w');
  writeSync(fd, data);
  fsyncSync(fd);
  closeSync(fd);
  // Stats (Stats: GET /v1/osd-volumes/stats/<id>) come from the lun's loop device counters.
  await c.app.services.monitor.sampleNow();
  const io = ok<{ write_bytes: number; writes: number }>(
    await go('GET', `/v1/osd-volumes/stats/${volId}`),
    'stats',
  );
  assert.ok(io.write_bytes >= 10 * MiB, `write_bytes ${io.write_bytes}`);
  assert.ok(io.writes > 0);
  const sum = (b: Buffer) => createHash('sha256').update(b).digest('hex');
  assert.equal(sum(readFileSync(join(where, 'data.bin'))), sum(data));
  const noPath = ok<{ volume_response: { error: string } }>(
    await set({ action: { mount: 2 } }),
    'mount, no path',
  );
  assert.match(noPath.volume_response.error, /Invalid mount path/);
  const busy = ok<{ volume_response: { error: string } }>(
    await set({ action: { attach: 1 } }),
    'detach while mounted',
  );
  assert.match(busy.volume_response.error, /unmount it first/);
  const unmounted = noError(await set({ action: { mount: 1, mount_path: where } }), 'unmount');
  assert.ok(!mountsUnder(mountRoot).includes(where), 'unmounted');
  // Unmounted, still attached: the same device until the detach.
  const still = unmounted.volume as { state: number; device_path: string; attach_path?: string[] };
  assert.equal(still.state, 3, 'attached');
  assert.equal(still.device_path, dev);
  assert.equal(still.attach_path, undefined);
  noError(await set({ action: { attach: 1 } }), 'detach');
  const after = ok<{ state: number; device_path?: string }[]>(
    await go('GET', `/v1/osd-volumes/${volId}`),
    'after',
  );
  assert.equal(after[0]!.state, 4, 'detached');
  assert.equal(after[0]!.device_path, undefined);
  // The data is on the lun: mounted again, it reads back.
  noError(await set({ action: { attach: 2 } }), 'attach 2');
  noError(await set({ action: { mount: 2, mount_path: where } }), 'mount 2');
  assert.equal(sum(readFileSync(join(where, 'data.bin'))), sum(data));
  // Detached while mounted, unmounting first: the options map (newer clients) or the action's
  // flag (Go's client's Detach(id, true) before the options map).
  noError(await set({ action: { attach: 1, unmount_before_detach: true } }), 'detach, unmount first');
  assert.ok(!mountsUnder(mountRoot).includes(where), 'unmounted by the detach');
  noError(await set({ action: { attach: 2 } }), 'attach 3');
  noError(await set({ action: { mount: 2, mount_path: where } }), 'mount 3');
  noError(await set({ action: { attach: 1 }, options: { UNMOUNT_BEFORE_DETACH: 'true' } }), 'detach 3');
  assert.ok(!mountsUnder(mountRoot).includes(where), 'unmounted by the detach');
  assert.equal(
    ok<{ device_path?: string }[]>(await go('GET', `/v1/osd-volumes/${volId}`), 'after detach 3')[0]!
      .device_path,
    undefined,
  );
  // Spec changes: a larger size; ha_level is refused with the node count.
  noError(await set({ spec: { size: 15 * GiB } }), 'grow');
  const ha2 = ok<{ volume_response: { error: string } }>(await set({ spec: { ha_level: 2 } }), 'ha 2');
  assert.match(ha2.volume_response.error, /ha_level 2 needs 2 nodes; this cluster has 1/);

  // ---- The seed's examples, with its ids replaced by real ones.
  const curls = seedCurls(seedText('portworx-000'));
  const real = (p: string) => p.replace(/700377599852814571|922203020611857957|47726638939690023/g, volId);
  const bySeed = async (i: number, body?: unknown): Promise<OsdReply> => {
    const cu = curls[i]!;
    const b = body ?? cu.body;
    return go(cu.method, real(cu.path), b === undefined ? undefined : JSON.parse(real(JSON.stringify(b))));
  };
  // Inspect by name: an array of one volume with every documented field.
  const inspected = ok<Record<string, unknown>[]>(await bySeed(0), 'seed inspect by name');
  assert.equal(inspected.length, 1);
  assert.deepEqual(missingFields((curls[0]!.response as unknown[])[0], inspected[0]), []);
  const v0 = inspected[0]!;
  assert.equal(v0.id, volId);
  assert.equal(v0.state, 4, 'detached');
  assert.equal(v0.status, 2, 'up');
  assert.equal(v0.format, 2, 'ext4');
  assert.deepEqual((v0.locator as { name: string }).name, 'px7vol');
  assert.equal((v0.spec as { size: number }).size, 15 * GiB);
  assert.equal(typeof (v0.ctime as { seconds: number }).seconds, 'number');
  // Live and historical stats, alerts.
  const live = ok<Record<string, number>>(await bySeed(1), 'statslive');
  for (const k of ['reads', 'writes', 'read_bytes', 'write_bytes', 'bytes_used', 'interval_ms'])
    assert.equal(typeof live[k], 'number', k);
  const hist = ok<Record<string, unknown[]>>(await bySeed(2), 'statshistory');
  for (const k of ['Hourly', 'Daily', 'Monthly']) assert.ok(Array.isArray(hist[k]), k);
  // The buckets are Cairn's hourly, daily and monthly rollups: one planted in each window (an
  // hour 2 hours back, a day 3 days back, the month 2 months back) comes back in its bucket, and
  // one outside the window (an hour 2 days back) does not.
  const HOUR = 3_600_000;
  const now = Date.now();
  const month = new Date(now);
  const planted = {
    Hourly: Math.floor(now / HOUR) * HOUR - 2 * HOUR,
    Daily: Math.floor(now / (24 * HOUR)) * 24 * HOUR - 3 * 24 * HOUR,
    Monthly: Date.UTC(month.getUTCFullYear(), month.getUTCMonth() - 2, 1),
  };
  const stale = Math.floor(now / HOUR) * HOUR - 48 * HOUR;
  const row = (resolution: string, ts: number, avg: number) => ({
    resolution,
    kind: 'volume',
    object_id: volId,
    metric: 'used_bytes',
    ts,
    min: avg - 1,
    max: avg + 1,
    avg,
    last: avg,
    count: 360,
  });
  await c.app.store.db
    .insertInto('stat_rollups')
    .values([
      row('hour', planted.Hourly, 1111),
      row('day', planted.Daily, 2222),
      row('month', planted.Monthly, 3333),
      row('hour', stale, 4444),
    ])
    .execute();
  const buckets = ok<Record<string, { timestamp: { seconds: number }; used_bytes?: number }[]>>(
    await bySeed(2),
    'statshistory with rollups',
  );
  const at = (k: 'Hourly' | 'Daily' | 'Monthly', ts: number) =>
    buckets[k]!.find((b) => b.timestamp.seconds === ts / 1000)?.used_bytes;
  assert.deepEqual(
    [at('Hourly', planted.Hourly), at('Daily', planted.Daily), at('Monthly', planted.Monthly)],
    [1111, 2222, 3333],
  );
  assert.equal(at('Hourly', stale), undefined, 'the hourly bucket covers the last 23 hours');
  assert.ok(Array.isArray(ok<{ alert: unknown[] }>(await bySeed(3), 'alerts').alert));
  // Snapshot with the seed's own body ("ID" in capitals), then the list.
  const snapAnswer = noError(await bySeed(4), 'seed snapshot');
  assert.deepEqual(missingFields(curls[4]!.response, snapAnswer), []);
  const snapId = String((snapAnswer.volume_create_response as { id: string }).id);
  const snaps = ok<Record<string, unknown>[]>(await bySeed(5), 'seed snapshot list');
  const fio = snaps.find((s) => s.id === snapId)!;
  assert.ok(fio, 'the new snapshot is listed');
  assert.deepEqual(missingFields((curls[5]!.response as unknown[])[0], fio), []);
  assert.deepEqual(fio.source, { parent: volId });
  assert.equal((fio.locator as { name: string }).name, 'fiovol-snap');
  // The cluster: one node, this machine.
  const cluster = ok<{ Nodes: Record<string, unknown>[]; NodeId: string; Status: number }>(
    await bySeed(6),
    'cluster enumerate',
  );
  assert.deepEqual(missingFields(curls[6]!.response, cluster), []);
  assert.equal(cluster.Nodes.length, 1);
  assert.equal(cluster.Nodes[0]!.Id, cluster.NodeId);
  assert.equal(cluster.Status, 2);
  assert.ok((cluster.Nodes[0]!.MemTotal as number) > 0, 'real memory figures');
  const stats = (cluster.Nodes[0]!.NodeData as { storage_stats: { DiskTotal: number } }).storage_stats;
  assert.ok(stats.DiskTotal > 0, 'the pool is the node storage');

  // ---- Inspect (Inspect: GET /v1/osd-volumes?VolumeID=…, repeatable) and unknown ids.
  const both = ok<{ id: string }[]>(
    await go('GET', `/v1/osd-volumes?VolumeID=${volId}&VolumeID=${snapId}&VolumeID=nope`),
    'inspect ids',
  );
  assert.deepEqual(
    both.map((x) => x.id),
    [volId, snapId],
  );
  assert.deepEqual(ok(await go('GET', '/v1/osd-volumes/no-such-volume'), 'unknown id'), []);
  assert.deepEqual(ok(await go('GET', `/v1/osd-volumes/${snapId}`), 'a snapshot by id').length, 1);

  // ---- Enumerate by label (Enumerate: Label and ConfigLabel as JSON objects) and by name.
  noError(
    await go('POST', '/v1/osd-volumes', { locator: { name: 'other' }, spec: { size: 64 * MiB, format: 1 } }),
    'create a btrfs one',
  );
  const q = (o: object) => encodeURIComponent(JSON.stringify(o));
  const gold = ok<{ id: string }[]>(
    await go('GET', `/v1/osd-volumes?Label=${q({ tier: 'gold' })}`),
    'by label',
  );
  assert.deepEqual(
    gold.map((x) => x.id),
    [volId],
  );
  const none = ok<unknown[]>(
    await go('GET', `/v1/osd-volumes?Label=${q({ tier: 'gold' })}&ConfigLabel=${q({ app: 'db' })}`),
    'labels ANDed',
  );
  assert.equal(none.length, 0);
  // ConfigLabel alone, and with Label (ANDed): the volume's labels, as OpenStorage's spec labels.
  const byConfig = ok<{ id: string }[]>(
    await go('GET', `/v1/osd-volumes?ConfigLabel=${q({ app: 'fio' })}`),
    'by config label',
  );
  assert.deepEqual(
    byConfig.map((x) => x.id),
    [volId],
  );
  const bothLabels = ok<{ id: string }[]>(
    await go('GET', `/v1/osd-volumes?Label=${q({ tier: 'gold' })}&ConfigLabel=${q({ app: 'fio' })}`),
    'label and config label',
  );
  assert.deepEqual(
    bothLabels.map((x) => x.id),
    [volId],
  );
  const all = ok<{ locator: { name: string }; format: number }[]>(await go('GET', '/v1/osd-volumes'), 'all');
  assert.deepEqual(all.map((x) => x.locator.name).sort(), ['other', 'px7vol']);
  // Labels change through set (an empty value removes a key) and are filtered in the store.
  noError(
    await go('PUT', `/v1/osd-volumes/${volId}`, { locator: { volume_labels: { tier: '', zone: 'a' } } }),
    'relabel',
  );
  const relabeled = ok<{ locator: { volume_labels: Record<string, string> } }[]>(
    await go('GET', `/v1/osd-volumes?Label=${q({ zone: 'a' })}`),
    'by the new label',
  );
  assert.deepEqual(relabeled[0]!.locator.volume_labels, { app: 'fio', zone: 'a' });
  assert.equal(
    ok<unknown[]>(await go('GET', `/v1/osd-volumes?Label=${q({ tier: 'gold' })}`), 'old label gone').length,
    0,
  );
  assert.equal(all.find((x) => x.locator.name === 'other')!.format, 1, 'btrfs');
  const named = ok<{ id: string }[]>(await go('GET', '/v1/osd-volumes?Name=other'), 'by name');
  assert.equal(named.length, 1);
  const bad = await go('GET', '/v1/osd-volumes?Label=notjson');
  assert.equal(bad.status, 400);
  assert.match(bad.text, /InvalidArgument.*Label: a JSON object/);

  // ---- Snapshot (Snapshot: SnapCreateRequest, readonly) and enumerate by volume (SnapEnumerate).
  const ro = noError(
    await go('POST', '/v1/osd-snapshot', { id: volId, readonly: true, locator: { name: 'ro1' } }),
    'readonly snapshot',
  );
  const roId = String((ro.volume_create_response as { id: string }).id);
  // OpenStorage's own snapshot names (colons and all) are kept whole; labels filter the list.
  const osdName = 'px7vol.snap-2017-02-27T21:15:12.328514381Z';
  const named2 = noError(
    await go('POST', '/v1/osd-snapshot', {
      id: volId,
      readonly: true,
      locator: { name: osdName, volume_labels: { kind: 'nightly' } },
    }),
    'snapshot named as OpenStorage names them',
  );
  const nightlyId = String((named2.volume_create_response as { id: string }).id);
  const nightly = ok<{ id: string; locator: { name: string; volume_labels: Record<string, string> } }[]>(
    await go('GET', `/v1/osd-snapshot?Label=${q({ kind: 'nightly' })}`),
    'snapshots by label',
  );
  assert.deepEqual(
    nightly.map((s) => s.id),
    [nightlyId],
  );
  assert.equal(nightly[0]!.locator.name, osdName);
  assert.deepEqual(nightly[0]!.locator.volume_labels, { kind: 'nightly' });
  noError(await go('DELETE', `/v1/osd-volumes/${nightlyId}`), 'delete that snapshot');
  const ofVol = ok<{ id: string; readonly: boolean }[]>(
    await go('GET', `/v1/osd-snapshot?VolumeID=${volId}`),
    'snapshots of the volume',
  );
  assert.deepEqual(ofVol.map((s) => s.id).sort(), [snapId, roId].sort());
  // An xfs lun keeps its asked filesystem (formatted so when first mounted).
  const xfs = noError(
    await go('POST', '/v1/osd-volumes', { locator: { name: 'xfs1' }, spec: { size: 320 * MiB, format: 6 } }),
    'xfs',
  );
  const xfsVol = ok<{ format: number }[]>(await go('GET', `/v1/osd-volumes/${String(xfs.id)}`), 'xfs');
  assert.equal(xfsVol[0]!.format, 6);
  assert.ok(ofVol.every((s) => s.readonly));

  // ---- Restore (Restore: POST /v1/osd-snapshot/restore/<volume>?SnapID=<snap>).
  noError(await go('POST', `/v1/osd-snapshot/restore/${volId}?SnapID=${roId}`), 'restore');
  const wrong = ok<{ error?: string }>(
    await go('POST', `/v1/osd-snapshot/restore/${volId}?SnapID=no-such-snap`),
    'restore to nothing',
  );
  assert.match(wrong.error ?? '', /NotFound/);

  // ---- Clone from a snapshot (Create with source.parent).
  const cl = noError(
    await go('POST', '/v1/osd-volumes', { locator: { name: 'clone1' }, source: { parent: roId }, spec: {} }),
    'clone',
  );
  const clone = ok<{ source: { parent: string } }[]>(
    await go('GET', `/v1/osd-volumes/${String(cl.id)}`),
    'clone',
  );
  assert.deepEqual(clone[0]!.source, { parent: roId });

  // ---- Clone from the live volume (source.parent a volume id): one writable btrfs snapshot.
  const liveClone = noError(
    await go('POST', '/v1/osd-volumes', {
      locator: { name: 'live:copy' },
      source: { parent: volId },
      spec: {},
    }),
    'live clone',
  );
  const liveVol = ok<{ source: { parent: string }; locator: { name: string }; format: number }[]>(
    await go('GET', `/v1/osd-volumes/${String(liveClone.id)}`),
    'live clone',
  );
  assert.deepEqual(liveVol[0]!.source, { parent: volId });
  assert.equal(liveVol[0]!.locator.name, 'live:copy');
  assert.equal(liveVol[0]!.format, 2);
  noError(await go('DELETE', `/v1/osd-volumes/${String(liveClone.id)}`), 'delete the live clone');

  // ---- Usage (usedsize, usage, stats)
  assert.equal(typeof ok<number>(await go('GET', `/v1/osd-volumes/usedsize/${volId}`), 'usedsize'), 'number');
  const usage = ok<{ capacity_usage_info: { total_bytes: number } }>(
    await go('GET', `/v1/osd-volumes/usage/${volId}`),
    'usage',
  );
  assert.equal(typeof usage.capacity_usage_info.total_bytes, 'number');
  assert.equal(
    typeof ok<{ bytes_used: number }>(
      await go('GET', `/v1/osd-volumes/stats/${volId}?Cumulative=true`),
      'stats',
    ).bytes_used,
    'number',
  );
  assert.deepEqual(ok(await go('GET', '/v1/osd-volumes/versions'), 'versions'), ['v1']);

  // ---- Errors as the client reads them.
  const ha = ok<{ volume_response: { error: string } }>(
    await go('POST', '/v1/osd-volumes', { locator: { name: 'ha3' }, spec: { size: GiB, ha_level: 3 } }),
    'ha_level 3',
  );
  assert.match(ha.volume_response.error, /ha_level 3 needs 3 nodes; this cluster has 1/);
  const taken = ok<{ volume_response: { error: string } }>(
    await go('POST', '/v1/osd-volumes', { locator: { name: 'px7vol' }, spec: { size: GiB } }),
    'name taken',
  );
  assert.match(taken.volume_response.error, /AlreadyExists/);
  const unknownField = await go('POST', '/v1/osd-volumes', {
    locator: { name: 'x' },
    spec: { size: GiB, warp: 9 },
  });
  assert.equal(unknownField.status, 400);
  assert.match(unknownField.text, /warp/);
  for (const path of [
    '/v1/osd-backup',
    '/v1/osd-creds',
    '/v1/cluster/pair/1.2.3.4/9001/t',
    '/v1/cloudmigrate/start',
    '/v1/cluster/objectstore',
    '/v1/cluster/secrets/login',
    '/v1/cluster/shutdown',
  ]) {
    const r = await go(path.includes('pair') ? 'PUT' : 'POST', path, {});
    assert.equal(r.status, 501, path);
    assert.match(r.text, /is not supported by Cairn: /, path);
  }
  const gossip = await go('PUT', '/v1/cluster/disablegossip');
  assert.equal(gossip.status, 501);

  // ---- Delete (Delete: DELETE /v1/osd-volumes/<id>, a bodiless request with the JSON type).
  noError(await go('DELETE', `/v1/osd-volumes/${String(cl.id)}`), 'delete the clone');
  noError(await go('DELETE', `/v1/osd-volumes/${roId}`), 'delete a snapshot');
  noError(await go('DELETE', '/v1/osd-volumes/no-such-volume'), 'delete is idempotent');
  assert.deepEqual(ok(await go('GET', `/v1/osd-volumes/${String(cl.id)}`), 'gone'), []);

  // ---- Maintenance mode (the seed's GET /entermaintenance and /exitmaintenance) is Cairn's.
  ok(await bySeed(7), 'enter maintenance');
  assert.equal((await c.admin.get<{ enabled: boolean }>('system/maintenance')).enabled, true);
  assert.equal(ok<number>(await go('GET', '/v1/cluster/nodestatus'), 'node status'), 7, 'STATUS_MAINTENANCE');
  const refused = ok<{ volume_response: { error: string } }>(
    await go('PUT', `/v1/osd-volumes/${volId}`, { action: { attach: 2 } }),
    'attach in maintenance',
  );
  assert.match(refused.volume_response.error, /MAINTENANCE_MODE/);
  const exit = await bySeed(8);
  assert.deepEqual(ok(exit, 'exit maintenance'), curls[8]!.response);
  assert.equal((await c.admin.get<{ enabled: boolean }>('system/maintenance')).enabled, false);
  assert.equal(ok<number>(await go('GET', '/v1/cluster/nodestatus'), 'node status'), 2, 'STATUS_OK');
  assert.equal((await go('GET', '/v1/cluster/nodehealth')).text, 'Node status OK\n');

  // ---- The unix socket door answers the same API, without credentials.
  const viaSocket = ok<{ id: string }[]>(await osd(unix, 'GET', `/v1/osd-volumes/${volId}`), 'socket');
  assert.equal(viaSocket[0]!.id, volId);
});

test(
  'OSD doors: loopback takes no credentials or a Cairn API key; any other address requires the key',
  { skip },
  async (t) => {
    const port = await freePort();
    const socketPath = join(tempDir(t, 'cairn-osd-'), 'osd.sock');
    const c = await startCairn(t, {
      env: { CAIRN_DIALECTS: 'osd', CAIRN_OSD_LISTEN: `0.0.0.0:${port}`, CAIRN_OSD_SOCKET: socketPath },
    });
    const tcp = { host: '127.0.0.1', port };
    const anon = await osd(tcp, 'GET', '/v1/osd-volumes/versions');
    assert.equal(anon.status, 401, anon.text);
    const key = (
      await c.admin.request<{ key: string }>('POST', 'api-keys', {
        name: 'osd',
        permissions: ['volume.read'],
      })
    ).body.key;
    // OpenStorage's client sends a token as `bearer <token>` (api/client/request.go).
    const keyed = await osd(tcp, 'GET', '/v1/osd-volumes/versions', undefined, {
      authorization: `bearer ${key}`,
    });
    assert.deepEqual(ok(keyed, 'with the key'), ['v1']);
    const wrong = await osd(tcp, 'GET', '/v1/osd-volumes/versions', undefined, {
      authorization: `bearer ${key.slice(0, -2)}xx`,
    });
    assert.equal(wrong.status, 401);
    // The key's permissions hold: volume.read does not create.
    const denied = await osd(
      tcp,
      'POST',
      '/v1/osd-volumes',
      { locator: { name: 'x' }, spec: { size: MiB } },
      {
        authorization: `bearer ${key}`,
      },
    );
    assert.equal(denied.status, 403, denied.text);
    // The unix socket takes none.
    assert.deepEqual(ok(await osd({ socketPath }, 'GET', '/v1/osd-volumes/versions'), 'socket'), ['v1']);
  },
);

test(
  'OSD default pool: the only pool, else an error saying to set CAIRN_DOCKER_POOL, else that pool',
  { skip },
  async (t) => {
    const port = await freePort();
    const socketPath = join(tempDir(t, 'cairn-osd-'), 'osd.sock');
    const env = {
      CAIRN_DIALECTS: 'osd',
      CAIRN_OSD_LISTEN: `127.0.0.1:${port}`,
      CAIRN_OSD_SOCKET: socketPath,
    };
    const c = await startCairn(t, { env });
    const tcp = { host: '127.0.0.1', port };
    const create = (name: string) =>
      osd(tcp, 'POST', '/v1/osd-volumes', { locator: { name }, spec: { size: 64 * MiB, format: 1 } });
    const errorOf = async (name: string) =>
      ok<{ volume_response: { error: string } }>(await create(name), name).volume_response.error;
    assert.match(await errorOf('none'), /there is no pool yet; create one first/);
    const pool = async (name: string) => {
      const disk = (await c.admin.request<{ id: string }>('POST', 'disks?wait=60', { size: 768 * MiB })).body
        .id;
      await c.admin.change('POST', 'pools', { name, disks: [disk], profile: 'single' });
      return (await c.admin.get<{ items: { id: string; name: string }[] }>('pools')).items.find(
        (p) => p.name === name,
      )!.id;
    };
    const first = await pool('first');
    const one = String(noError(await create('one'), 'the only pool').id);
    assert.equal((await c.admin.get<{ pool: string }>(`volumes/${one}`)).pool, first);
    const second = await pool('second');
    assert.match(await errorOf('two'), /there are 2 pools; name one, or set CAIRN_DOCKER_POOL/);
    // Set, by name: new volumes go there; a pool that does not exist is named in the error.
    t.after(() => delete process.env.CAIRN_DOCKER_POOL);
    process.env.CAIRN_DOCKER_POOL = 'second';
    const c2 = await c.restart();
    const two = String(noError(await create('two'), 'the configured pool').id);
    assert.equal((await c2.admin.get<{ pool: string }>(`volumes/${two}`)).pool, second);
    process.env.CAIRN_DOCKER_POOL = 'nope';
    await c2.restart();
    assert.match(await errorOf('three'), /NotFound.*nope/);
  },
);

test('OSD writable snapshot: taken, enumerated, changed, restored, deleted', { skip }, async (t) => {
  const { c, tcp, mountRoot } = await osdRig(t);
  const go = (method: string, path: string, body?: unknown) => osd(tcp, method, path, body);
  const q = (o: object) => encodeURIComponent(JSON.stringify(o));
  const volId = String(
    noError(
      await go('POST', '/v1/osd-volumes', { locator: { name: 'w1' }, spec: { size: 64 * MiB, format: 1 } }),
      'create a btrfs volume',
    ).id,
  );
  const set = (action: object) => go('PUT', `/v1/osd-volumes/${volId}`, { action });
  // A filesystem volume: attached at Cairn's own path, then its mount moves to the caller's path.
  noError(await set({ attach: 2 }), 'attach');
  const where = join(mountRoot, 'w1');
  noError(await set({ mount: 2, mount_path: where }), 'mount');
  writeFileSync(join(where, 'a'), 'before');

  // readonly false: a writable snapshot (absent: read-only, as the seed's example).
  const snapId = String(
    (
      noError(
        await go('POST', '/v1/osd-snapshot', {
          id: volId,
          readonly: false,
          locator: { name: 'w1-rw', volume_labels: { kind: 'rw' } },
        }),
        'writable snapshot',
      ).volume_create_response as { id: string }
    ).id,
  );
  const roId = String(
    (
      noError(
        await go('POST', '/v1/osd-snapshot', { id: volId, locator: { name: 'w1-ro' } }),
        'read-only snapshot',
      ).volume_create_response as { id: string }
    ).id,
  );
  const ofVol = ok<{ id: string; readonly?: boolean }[]>(
    await go('GET', `/v1/osd-snapshot?VolumeID=${volId}`),
    'snapshots of the volume',
  );
  assert.deepEqual(Object.fromEntries(ofVol.map((s) => [s.id, s.readonly ?? false])), {
    [snapId]: false,
    [roId]: true,
  });
  const byLabel = ok<{ id: string }[]>(
    await go('GET', `/v1/osd-snapshot?Label=${q({ kind: 'rw' })}`),
    'label',
  );
  assert.deepEqual(
    byLabel.map((s) => s.id),
    [snapId],
  );
  const inspected = ok<{ readonly?: boolean; source: { parent: string } }[]>(
    await go('GET', `/v1/osd-volumes/${snapId}`),
    'inspect',
  );
  assert.equal(inspected[0]!.readonly ?? false, false);
  assert.deepEqual(inspected[0]!.source, { parent: volId });

  // Natively a writable snapshot: its files can be changed; a read-only one's cannot.
  const native = await c.admin.get<{ writable: boolean; path: string }>(`snapshots/${snapId}`);
  assert.equal(native.writable, true);
  writeFileSync(join(native.path, 'b'), 'written into the snapshot');
  const ro = await c.admin.get<{ writable: boolean; path: string }>(`snapshots/${roId}`);
  assert.equal(ro.writable, false);
  assert.throws(() => writeFileSync(join(ro.path, 'b'), 'x'), /EROFS|read-only/i);

  // The volume changes; restoring the writable snapshot brings back its content, change included.
  writeFileSync(join(where, 'a'), 'after');
  noError(await set({ mount: 1, mount_path: where }), 'unmount');
  noError(await set({ attach: 1 }), 'detach');
  noError(await go('POST', `/v1/osd-snapshot/restore/${volId}?SnapID=${snapId}`), 'restore');
  noError(await set({ attach: 2 }), 'attach again');
  noError(await set({ mount: 2, mount_path: where }), 'mount again');
  assert.equal(readFileSync(join(where, 'a'), 'utf8'), 'before');
  assert.equal(readFileSync(join(where, 'b'), 'utf8'), 'written into the snapshot');
  noError(await set({ mount: 1, mount_path: where }), 'unmount again');
  noError(await set({ attach: 1 }), 'detach again');

  // Deleted like any snapshot (DELETE /v1/osd-volumes/<snapshot id>).
  noError(await go('DELETE', `/v1/osd-volumes/${snapId}`), 'delete the writable snapshot');
  assert.deepEqual(
    ok<{ id: string }[]>(await go('GET', `/v1/osd-snapshot?VolumeID=${volId}`), 'after').map((s) => s.id),
    [roId],
  );
  assert.deepEqual(ok(await go('GET', `/v1/osd-volumes/${snapId}`), 'gone'), []);
});

test(
  "OSD: the issue's sequence through the listener (create, inspect, enumerate by label, attach, mount, 10 MiB, unmount, detach, snapshot, restore, delete) and the node calls",
  { skip },
  async (t) => {
    const { tcp, mountRoot } = await osdRig(t);
    const go = (method: string, path: string, body?: unknown) => osd(tcp, method, path, body);
    const q = (o: object) => encodeURIComponent(JSON.stringify(o));
    const sum = (b: Buffer) => createHash('sha256').update(b).digest('hex');
    // create
    const id = String(
      noError(
        await go('POST', '/v1/osd-volumes', {
          locator: { name: 'seq', volume_labels: { app: 'seq' } },
          spec: { size: 256 * MiB, format: 2 },
        }),
        'create',
      ).id,
    );
    // inspect
    const inspected = ok<{ id: string; state: number; format: number }[]>(
      await go('GET', `/v1/osd-volumes/${id}`),
      'inspect',
    );
    assert.equal(inspected[0]!.id, id);
    assert.equal(inspected[0]!.state, 4, 'detached');
    // enumerate by label
    const byLabel = ok<{ id: string }[]>(
      await go('GET', `/v1/osd-volumes?Label=${q({ app: 'seq' })}`),
      'label',
    );
    assert.deepEqual(
      byLabel.map((v) => v.id),
      [id],
    );
    // attach
    const set = (action: object, options?: object) =>
      go('PUT', `/v1/osd-volumes/${id}`, { action, ...(options ? { options } : {}) });
    const dev = (noError(await set({ attach: 2 }), 'attach').volume as { device_path: string }).device_path;
    assert.match(dev, /^\/dev\/loop\d+$/);
    // mount at a path
    const where = join(mountRoot, 'seq');
    noError(await set({ mount: 2, mount_path: where }), 'mount');
    assert.equal(sh(['findmnt', '-rn', '-o', 'SOURCE,FSTYPE', where]).trim(), `${dev} ext4`);
    // write 10 MiB through the mount and read it back
    const data = randomBytes(10 * MiB);
    writeFileSync(join(where, 'data.bin'), data);
    sh(['sync', '-f', join(where, 'data.bin')]);
    assert.equal(sum(readFileSync(join(where, 'data.bin'))), sum(data));
    // unmount
    noError(await set({ mount: 1, mount_path: where }), 'unmount');
    assert.ok(!mountsUnder(mountRoot).includes(where));
    // detach
    noError(await set({ attach: 1 }), 'detach');
    assert.equal(sh(['losetup', '-n', '-O', 'BACK-FILE', dev], { allowFail: true }).includes(id), false);
    // snapshot
    const snapId = String(
      (
        noError(await go('POST', '/v1/osd-snapshot', { id, locator: { name: 'seq-snap' } }), 'snapshot')
          .volume_create_response as { id: string }
      ).id,
    );
    // the volume changes after the snapshot: the restore brings back the snapshot's data
    noError(await set({ attach: 2 }), 'attach 2');
    noError(await set({ mount: 2, mount_path: where }), 'mount 2');
    writeFileSync(join(where, 'data.bin'), 'changed');
    noError(await set({ mount: 1, mount_path: where }), 'unmount 2');
    noError(await set({ attach: 1 }), 'detach 2');
    // restore
    noError(await go('POST', `/v1/osd-snapshot/restore/${id}?SnapID=${snapId}`), 'restore');
    noError(await set({ attach: 2 }), 'attach 3');
    noError(await set({ mount: 2, mount_path: where }), 'mount 3');
    assert.equal(sum(readFileSync(join(where, 'data.bin'))), sum(data), 'restored');
    noError(await set({ mount: 1, mount_path: where }), 'unmount 3');
    noError(await set({ attach: 1 }), 'detach 3');
    // delete (the snapshot, then the volume)
    noError(await go('DELETE', `/v1/osd-volumes/${snapId}`), 'delete the snapshot');
    noError(await go('DELETE', `/v1/osd-volumes/${id}`), 'delete');
    assert.deepEqual(ok(await go('GET', `/v1/osd-volumes/${id}`), 'gone'), []);

    // ---- The node calls: inspect by id and hostname, status, peer status, alerts, versions.
    const cluster = ok<{ NodeId: string; Nodes: { Id: string; Hostname: string; Cpu: number }[] }>(
      await go('GET', '/v1/cluster/enumerate'),
      'enumerate',
    );
    const node = cluster.Nodes[0]!;
    for (const key of [cluster.NodeId, node.Hostname]) {
      const n = ok<{ Id: string; MemTotal: number; Status: number }>(
        await go('GET', `/v1/cluster/inspect/${key}`),
        `inspect ${key}`,
      );
      assert.equal(n.Id, cluster.NodeId);
      assert.ok(n.MemTotal > 0);
      assert.equal(n.Status, 2);
    }
    const other = await go('GET', '/v1/cluster/inspect/another-node');
    assert.equal(other.status, 404, other.text);
    assert.equal(ok<number>(await go('GET', '/v1/cluster/status'), 'status'), 2);
    assert.deepEqual(ok(await go('GET', '/v1/cluster/peerstatus?name=x'), 'peer status'), {
      [cluster.NodeId]: 2,
    });
    assert.ok(
      Array.isArray(ok<{ alert: unknown[] }>(await go('GET', '/v1/cluster/alerts/0'), 'alerts').alert),
    );
    const badResource = await go('GET', '/v1/cluster/alerts/nope');
    assert.equal(badResource.status, 400);
    assert.match(badResource.text, /InvalidArgument.*ResourceType/);
    const noAlert = await go('PUT', '/v1/cluster/alerts/1/12345');
    assert.match(noAlert.text, /NotFound/);
    assert.deepEqual(ok(await go('GET', '/v1/cluster/versions'), 'versions'), ['v1']);
    assert.deepEqual(ok(await go('GET', '/osd-volumes/versions'), 'versions'), ['v1']);
  },
);
