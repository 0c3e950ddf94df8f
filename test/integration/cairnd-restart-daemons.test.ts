// After a kill -9 of cairnd its daemons keep serving; the next cairnd on the same data directory
// stops exactly the daemons its predecessor started (by their recorded PIDs) and runs its own, so
// rpcbind is not mistaken for someone else's, the NFS export is served again, and a clean stop
// leaves no process either cairnd started.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startCairnProcess, type ProcessCairn } from '../support/cairn.js';
import { exportPortEnv } from '../support/export-ports.js';
import { realPartsSkip, tempDir, waitFor } from '../support/real.js';
import { client, sha256, MiB, type ExportBody, type ServiceBody } from './exports-support.js';
import { poolWithVolumes } from './storage-support.js';

const skip = realPartsSkip();

const nfsFile = (uri: string, file: string) => {
  const [base, q] = uri.split('?');
  return `${base}/${file}${q ? `?${q}` : ''}`;
};

/** The kernel's start time of a PID (field 22 of its stat), or null once it is gone. */
const startOf = (pid: number): string | null => {
  try {
    const s = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const rest = s
      .slice(s.lastIndexOf(')') + 1)
      .trim()
      .split(/\s+/);
    return rest[0] === 'Z' ? null : (rest[19] ?? null);
  } catch {
    return null;
  }
};

interface Started {
  name: string;
  pid: number;
  start: string;
}

/** The daemons this cairnd runs itself (not `external`), with their PIDs and start times. */
async function ownDaemons(c: ProcessCairn): Promise<Started[]> {
  const items = (await c.admin.get<{ items: ServiceBody[] }>('services')).items;
  return items
    .filter((s) => s.state === 'running' && s.pid !== null)
    .map((s) => ({ name: s.name, pid: s.pid!, start: startOf(s.pid!) ?? '' }));
}

test(
  'kill -9 of cairnd: the restart takes over rpcbind and ganesha, the export is served again, a clean stop leaves none',
  { skip },
  async (t) => {
    const env = await exportPortEnv();
    const c1 = await startCairnProcess(t, { env });
    const {
      volumes: [vol],
    } = await poolWithVolumes(c1.admin, [{ name: 'v', size: 128 * MiB }], { name: 'p', diskSize: 512 * MiB });
    const ex = (
      await c1.admin.request<ExportBody>('POST', `volumes/${vol.id}/exports?wait=60`, {
        protocol: 'nfs',
        allowed: ['127.0.0.1'],
        root_squash: false,
        versions: [3],
      })
    ).body;
    assert.equal(ex.state, 'active', JSON.stringify(ex));
    const dir = tempDir(t);
    const bytes = Buffer.alloc(4 * MiB, 7);
    writeFileSync(join(dir, 'src.bin'), bytes);
    const put = client(['nfs-cp', join(dir, 'src.bin'), nfsFile(ex.uri, 'f.bin')]);
    assert.equal(put.code, 0, put.out);
    const readBack = (n: string) => {
      const r = client(['nfs-cp', nfsFile(ex.uri, 'f.bin'), join(dir, n)]);
      return r.code === 0 && sha256(readFileSync(join(dir, n))) === sha256(bytes);
    };

    const first = await ownDaemons(c1);
    assert.ok(
      first.some((d) => d.name === 'ganesha'),
      `ganesha runs under cairnd: ${JSON.stringify(first)}`,
    );
    if (!first.some((d) => d.name === 'rpcbind'))
      t.diagnostic('rpcbind was already running on this machine: only ganesha is checked');

    await c1.kill9();
    assert.ok(readBack('during.bin'), 'the data path kept serving while cairnd was down');

    const c2 = await c1.start();
    // Served again, by daemons this cairnd runs itself: rpcbind is not someone else's now.
    await waitFor('the export served again', async () => readBack('after.bin') || undefined, 60_000, 500);
    const services = (await c2.admin.get<{ items: ServiceBody[] }>('services')).items;
    for (const d of first) {
      const now = services.find((s) => s.name === d.name);
      assert.equal(now?.state, 'running', `${d.name} runs under the new cairnd: ${JSON.stringify(now)}`);
    }
    const second = await ownDaemons(c2);

    await c2.stop();
    // No process either cairnd started remains (same PID and start time = the same process).
    const left = [...first, ...second].filter((d) => d.start !== '' && startOf(d.pid) === d.start);
    assert.deepEqual(left, [], 'processes started by cairnd left after a clean stop');
  },
);
