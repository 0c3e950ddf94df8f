// Names on the command line: an id passes as it is; a name is one filtered list request
// (?name=…&limit=2, never every row) that must find exactly one object.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { resolveId } from '../../../src/cli/resolve.js';
import type { Client } from '../../../src/cli/client.js';

/** A client answering list requests from `rows` the way the API filters them, recording each path. */
function fakeClient(rows: Record<string, string>[]) {
  const asked: string[] = [];
  const client = {
    get: async (path: string) => {
      asked.push(path);
      const q = new URL(path, 'http://x/').searchParams;
      const match = rows.filter((r) => [...q].every(([k, v]) => k === 'limit' || r[k] === v));
      return { items: match.slice(0, Number(q.get('limit') ?? 100)), total: match.length };
    },
  } as unknown as Client;
  return { client, asked };
}

const ID = '0b6f1c9e-4d2a-4f0e-9a51-6f4a7d1e2c3b';

test('an id is used as it is, without a request', async () => {
  const { client, asked } = fakeClient([]);
  assert.equal(await resolveId(client, 'pools', ID), ID);
  assert.deepEqual(asked, []);
});

test('a name is one filtered request for at most two rows', async () => {
  const { client, asked } = fakeClient([
    { id: 'p1', name: 'tank' },
    { id: 'p2', name: 'other' },
  ]);
  assert.equal(await resolveId(client, 'pools', 'tank'), 'p1');
  assert.deepEqual(asked, ['pools?name=tank&limit=2']);
});

test('a disk also by its device path; a snapshot within its volume', async () => {
  const disks = fakeClient([{ id: 'd1', name: 'd1', path: '/dev/loop7' }]);
  assert.equal(await resolveId(disks.client, 'disks', '/dev/loop7'), 'd1');
  assert.deepEqual(disks.asked, ['disks?path=%2Fdev%2Floop7&limit=2']);
  const snaps = fakeClient([
    { id: 's1', name: 'before', volume: 'v1' },
    { id: 's2', name: 'before', volume: 'v2' },
  ]);
  assert.equal(await resolveId(snaps.client, 'snapshots', 'before', { volume: 'v2' }), 's2');
  await assert.rejects(
    resolveId(snaps.client, 'snapshots', 'before'),
    /^Error: 2 snapshots are named "before": give the id \(cairn snapshots list --filter name=before\)$/,
  );
});

test('an unknown name says so', async () => {
  const { client } = fakeClient([{ id: 'p1', name: 'tank' }]);
  await assert.rejects(resolveId(client, 'pools', 'nope'), /no pool is named "nope" \(and it is not an id\)/);
});
