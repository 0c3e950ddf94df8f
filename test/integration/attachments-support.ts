// Shared set-up for the attachment tests: a temporary mount root (CAIRN_MOUNT_ROOTS), a real pool
// on a loop device made through the API, volumes, and a cleanup that unmounts exactly what was
// mounted under the test's own mount root.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import assert from 'node:assert/strict';
import { ApiError, type Client } from '../../src/cli/client.js';
import { mountsUnder, sh, tempDir, type T } from '../support/real.js';
import { ADMIN_PASSWORD, REPO, type InProcessCairn } from '../support/cairn.js';
import { poolWithVolumes as sharedPoolWithVolumes, MiB } from './storage-support.js';

export { MiB };

/** Expects the API to refuse with this error code. */
export async function refused(p: Promise<unknown>, code: string): Promise<void> {
  await assert.rejects(p, (e: unknown) => {
    assert.ok(e instanceof ApiError, String(e));
    assert.equal(e.body?.error?.code, code, JSON.stringify(e.body));
    return true;
  });
}

export interface AttachmentWire {
  id: string;
  volume_id: string;
  requester: string;
  read_only: boolean;
  mount_path: string | null;
  device_path: string | null;
  state: string;
}

/** A mount root of the test's own; everything mounted under it is unmounted after the test. */
export function mountRoot(t: T): string {
  const root = tempDir(t, 'cairn-mnt-');
  t.after(() => {
    for (const m of mountsUnder(root).sort((a, b) => b.length - a.length))
      sh(['umount', '-l', m], { allowFail: true });
  });
  return root;
}

/** How many mounts /proc/self/mountinfo lists at exactly `path`. */
export function mountCount(path: string): number {
  return readFileSync('/proc/self/mountinfo', 'utf8')
    .split('\n')
    .filter((l) => l.split(' ')[4] === path).length;
}

export async function poolWithVolumes(
  c: Client,
  vols: { name: string; type: 'filesystem' | 'lun'; size: number }[],
): Promise<{ poolId: string; ids: string[] }> {
  const made = await sharedPoolWithVolumes(c, vols, { name: 'att' });
  return { poolId: made.pool.id, ids: made.volumes.map((v) => v.id) };
}

export const attach = (c: Client, volumeId: string, body: Record<string, unknown>) =>
  c.request<AttachmentWire>('POST', `volumes/${volumeId}/attachments`, body).then((r) => r.body);

export const pathIn = (root: string, ...names: string[]) => join(root, ...names);

const run = promisify(execFile);

/** bin/cairn as admin with --json; its stdout. */
export async function cli(c: InProcessCairn, args: string[]): Promise<string> {
  const env = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: c.dataDir,
    CAIRN_URL: c.url,
    CAIRN_PASSWORD: ADMIN_PASSWORD,
  };
  return (await run(join(REPO, 'bin/cairn'), ['--json', ...args], { env })).stdout;
}
