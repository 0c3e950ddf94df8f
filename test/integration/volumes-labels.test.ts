// Labels, display names and the metadata bag of volumes and snapshots, through the native API on a
// real pool, on every store: set at create, changed by merge patch, returned in every read,
// filtered in every list (?label=k, ?label=k=v, several ANDed; ?display_name=), checked with field
// codes, kept across a restart and gone with their object.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startCairn } from '../support/cairn.js';
import { testStores } from '../support/stores.js';
import { realPartsSkip } from '../support/real.js';
import { ApiError } from '../../src/cli/client.js';
import type { Snapshot, Volume } from '../../src/domain/volumes.js';
import { MiB, attach, call, testPool } from './volumes-pool.js';

const skip = realPartsSkip();
interface PageOf<T> {
  items: T[];
  total: number;
}
const names = (p: PageOf<{ name: string }>) => p.items.map((x) => x.name).sort();

/** A 400 VALIDATION_FAILED whose problems carry `code` for `field`. */
const expectProblem = async (p: Promise<unknown>, field: string, code: string) => {
  await assert.rejects(p, (e: unknown) => {
    assert.ok(e instanceof ApiError, String(e));
    assert.equal(e.status, 400, JSON.stringify(e.body));
    assert.equal(e.code, 'VALIDATION_FAILED');
    const problems = (e.body as { error: { details: { problems: { field: string; code: string }[] } } }).error
      .details.problems;
    assert.ok(
      problems.some((x) => x.field === field && x.code === code),
      JSON.stringify(problems),
    );
    return true;
  });
};

for (const store of testStores()) {
  test(
    `${store}: volume labels, display names and metadata: create, patch, filter, restart`,
    { skip },
    async (t) => {
      let c = await startCairn(t, { store });
      const pool = await testPool(t, c, 1024 ** 3);
      attach(c, pool);
      const mk = (name: string, extra: object) =>
        call<Volume>(c.admin, 'POST', 'volumes?wait=60', {
          pool: pool.id,
          name,
          type: 'filesystem',
          size: 32 * MiB,
          ...extra,
        });
      const a = await mk('a', {
        labels: { tier: 'gold', 'app.kubernetes.io/name': 'db', empty: '' },
        display_name: 'Database volume (prod)',
        metadata: { dedup: 'on', sync: 'always' },
      });
      assert.deepEqual(a.labels, { tier: 'gold', 'app.kubernetes.io/name': 'db', empty: '' });
      assert.equal(a.display_name, 'Database volume (prod)');
      assert.deepEqual(a.metadata, { dedup: 'on', sync: 'always' });
      const b = await mk('b', { labels: { tier: 'silver', 'app.kubernetes.io/name': 'db' } });
      assert.equal(b.display_name, 'b', 'the display name defaults to the name');
      assert.deepEqual(b.metadata, {});
      await mk('c', {});

      // filters: key, key=value, several ANDed, display_name, combined with the usual filters
      const list = (q: string) => c.admin.get<PageOf<Volume>>(`volumes?${q}`);
      assert.deepEqual(names(await list('label=tier')), ['a', 'b']);
      assert.deepEqual(names(await list('label=tier=gold')), ['a']);
      assert.deepEqual(names(await list('label=app.kubernetes.io/name=db&label=tier=silver')), ['b']);
      assert.deepEqual(names(await list('label=tier=gold&label=tier=silver')), []);
      assert.deepEqual(names(await list('label=empty=')), ['a']);
      assert.deepEqual(names(await list(`label=tier&name=b&pool=${pool.id}`)), ['b']);
      assert.deepEqual(names(await list(`display_name=${encodeURIComponent('Database volume (prod)')}`)), [
        'a',
      ]);
      assert.deepEqual(names(await list('display_name__contains=volume')), ['a']);
      assert.equal((await list('label=tier&limit=1')).total, 2);
      const page = await list('sort=name');
      assert.deepEqual(
        page.items.map((v) => v.labels),
        [a.labels, b.labels, {}],
        'every list item carries its labels',
      );

      // bad keys, values, display names and filters: 400 with a field code, nothing changed
      await expectProblem(mk('d', { labels: { 'bad key': 'x' } }), 'labels.bad key', 'BAD_LABEL_KEY');
      await expectProblem(mk('d', { labels: { 'k=v': 'x' } }), 'labels.k=v', 'BAD_LABEL_KEY');
      await expectProblem(mk('d', { labels: { k: 'x\ny' } }), 'labels.k', 'BAD_LABEL_VALUE');
      await expectProblem(mk('d', { labels: { k: 'x'.repeat(1025) } }), 'labels.k', 'BAD_LABEL_VALUE');
      await expectProblem(
        mk('d', { labels: Object.fromEntries(Array.from({ length: 65 }, (_, i) => [`k${i}`, 'v'])) }),
        'labels',
        'TOO_MANY_LABELS',
      );
      await expectProblem(mk('d', { display_name: '  ' }), 'display_name', 'BAD_DISPLAY_NAME');
      await expectProblem(mk('d', { metadata: { '': 'x' } }), 'metadata.', 'BAD_METADATA_KEY');
      await expectProblem(list('label=bad%20key'), 'label', 'BAD_LABEL_FILTER');
      await assert.rejects(mk('d', { labels: 'x' }), ApiError);
      assert.equal((await list('name=d')).total, 0, 'a refused create left no volume');

      // PATCH: labels and metadata by merge patch, at once (200, no job)
      const r = await c.admin.request<Volume>('PATCH', `volumes/${a.id}`, {
        labels: { tier: 'platinum', empty: null, owner: 'ops' },
        metadata: { sync: null, thin: 'yes' },
        display_name: 'vol.snap-2017-02-27T21:15:12.328514381Z',
      });
      assert.equal(r.status, 200);
      assert.deepEqual(r.body.labels, { tier: 'platinum', 'app.kubernetes.io/name': 'db', owner: 'ops' });
      assert.deepEqual(r.body.metadata, { dedup: 'on', thin: 'yes' });
      assert.equal(r.body.display_name, 'vol.snap-2017-02-27T21:15:12.328514381Z');
      assert.deepEqual(names(await list('label=tier=gold')), []);
      assert.deepEqual(names(await list('label=owner=ops')), ['a']);
      await expectProblem(
        call(c.admin, 'PATCH', `volumes/${a.id}`, {
          labels: Object.fromEntries(Array.from({ length: 62 }, (_, i) => [`n${i}`, 'v'])),
        }),
        'labels',
        'TOO_MANY_LABELS',
      );
      // a rename (a job) carries a display name that was the name, and labels changed with it
      const renamed = await call<Volume>(c.admin, 'PATCH', `volumes/${b.id}?wait=60`, {
        name: 'b2',
        labels: { tier: null },
      });
      assert.equal(renamed.name, 'b2');
      assert.equal(renamed.display_name, 'b2');
      assert.deepEqual(renamed.labels, { 'app.kubernetes.io/name': 'db' });
      const keep = await call<Volume>(c.admin, 'PATCH', `volumes/${a.id}?wait=60`, { name: 'a2' });
      assert.equal(
        keep.display_name,
        'vol.snap-2017-02-27T21:15:12.328514381Z',
        'a chosen display name stays',
      );

      // snapshots: labels and display names at create, patch, filters on both lists
      const snap = (vol: string, body: object) =>
        call<Snapshot>(c.admin, 'POST', `volumes/${vol}/snapshots?wait=60`, body);
      const s1 = await snap(a.id, {
        display_name: 'vol.snap-2017-02-27T21:15:12.328514381Z',
        labels: { schedule: 'daily' },
      });
      assert.equal(s1.display_name, 'vol.snap-2017-02-27T21:15:12.328514381Z');
      assert.deepEqual(s1.labels, { schedule: 'daily' });
      const s2 = await snap(a.id, { name: 'manual', labels: { schedule: 'none', keep: 'yes' } });
      assert.equal(s2.display_name, 'manual');
      const s3 = await snap(b.id, { labels: { schedule: 'daily' } });
      const slist = (q: string) => c.admin.get<PageOf<Snapshot>>(q);
      assert.deepEqual(
        (await slist('snapshots?label=schedule=daily')).items.map((s) => s.id).sort(),
        [s1.id, s3.id].sort(),
      );
      assert.deepEqual(
        (await slist(`volumes/${a.id}/snapshots?label=schedule=daily`)).items.map((s) => s.id),
        [s1.id],
      );
      assert.deepEqual(
        (await slist('snapshots?label=schedule&label=keep')).items.map((s) => s.id),
        [s2.id],
      );
      assert.deepEqual(
        (await slist(`snapshots?display_name=${encodeURIComponent(s1.display_name)}`)).items.map((s) => s.id),
        [s1.id],
      );
      const ps = await call<Snapshot>(c.admin, 'PATCH', `snapshots/${s2.id}`, {
        labels: { keep: null, schedule: 'weekly' },
        display_name: 'before upgrade',
      });
      assert.deepEqual(ps.labels, { schedule: 'weekly' });
      assert.equal(ps.display_name, 'before upgrade');
      assert.deepEqual((await c.admin.get<Snapshot>(`snapshots/${s2.id}`)).labels, { schedule: 'weekly' });
      await expectProblem(
        call(c.admin, 'POST', `volumes/${a.id}/snapshots`, { labels: { 'x y': '1' } }),
        'labels.x y',
        'BAD_LABEL_KEY',
      );
      await expectProblem(
        call(c.admin, 'PATCH', `snapshots/${s2.id}`, { display_name: '\u0007' }),
        'display_name',
        'BAD_DISPLAY_NAME',
      );

      // a clone of a snapshot takes its own labels and display name, and the source's metadata
      const cl = await call<Volume>(c.admin, 'POST', `snapshots/${s1.id}/clone?wait=60`, {
        name: 'from-snap',
        labels: { clone: 'yes' },
        display_name: 'Clone of a',
      });
      assert.deepEqual(cl.labels, { clone: 'yes' });
      assert.equal(cl.display_name, 'Clone of a');
      assert.deepEqual(cl.metadata, { dedup: 'on', thin: 'yes' });
      await call(c.admin, 'DELETE', `volumes/${cl.id}?wait=60`);

      // everything survives a restart
      c = attach(await c.restart(), pool);
      const again = await c.admin.get<Volume>(`volumes/${a.id}`);
      assert.deepEqual(again.labels, { tier: 'platinum', 'app.kubernetes.io/name': 'db', owner: 'ops' });
      assert.deepEqual(again.metadata, { dedup: 'on', thin: 'yes' });
      assert.equal((await c.admin.get<Snapshot>(`snapshots/${s1.id}`)).display_name, s1.display_name);

      // labels go with their object: a volume made again under the same name starts bare
      await call(c.admin, 'DELETE', `volumes/${b.id}?wait=60&cascade=true`);
      assert.equal((await c.admin.get<PageOf<Snapshot>>('snapshots?label=schedule=daily')).total, 1);
      const b3 = await mk('b2', {});
      assert.deepEqual(b3.labels, {});
      assert.deepEqual(names(await list('label=app.kubernetes.io/name')), ['a2']);
    },
  );
}
