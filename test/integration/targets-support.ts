// Helpers for the iSCSI target tests: more lun volumes beside the export rig's, a qemu-io and a
// libiscsi session that each hold one iSCSI session open (commands over stdin, answers read back),
// and tgtd's own view of a target (its I_T nexus numbers, to show a session survived a change).
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { join } from 'node:path';
import { writeFileSync } from 'node:fs';
import { sparseFile, waitFor, type T } from '../support/real.js';
import type { ExportableVolume } from '../../src/services/contracts.js';
import { CairnError } from '../../src/domain/errors.js';
import { client, MiB, type ExportRig } from './exports-support.js';
import { REPO } from '../support/cairn.js';

/** Adds lun volumes (files in the rig's scratch dir) to what the rig's volume access serves. */
export async function moreLuns(rig: ExportRig, n: number, bytes = 32 * MiB): Promise<ExportableVolume[]> {
  const extra: ExportableVolume[] = [];
  for (let i = 0; i < n; i++) {
    const lunFile = await sparseFile(join(rig.dir, `extra-${i}.img`), bytes);
    extra.push({ ...rig.lun, id: `vol-lun-x${i}`, name: `x${i}`, lunFile, size: bytes });
  }
  const all = [rig.fs, rig.lun, ...extra];
  rig.cairn.app.services.exports.useVolumeAccess({
    exportable: async (id) => {
      const v = all.find((x) => x.id === id);
      if (!v) throw new CairnError('VOLUME_NOT_FOUND', { id });
      return v;
    },
  });
  return extra;
}

/** qemu's --image-opts for a LUN with CHAP (the password from a secret object, never in argv). */
export function chapOpts(rig: ExportRig, user: string, secret: string) {
  const file = join(rig.dir, `chap-${user}`);
  writeFileSync(file, secret, { mode: 0o600 });
  return {
    object: `secret,id=sec-${user},file=${file}`,
    opts: (iqn: string, lun: number, initiator: string) =>
      `driver=iscsi,transport=tcp,portal=127.0.0.1:${rig.ports.iscsi},target=${iqn},lun=${lun},user=${user},password-secret=sec-${user},initiator-name=${initiator}`,
  };
}

/** One iSCSI session held open by qemu-io; `run` sends a command and returns what it printed. */
export class QemuIoSession {
  private out = '';
  private readonly p: ChildProcessWithoutNullStreams;
  constructor(t: T, object: string, opts: string) {
    this.p = spawn('qemu-io', ['--object', object, '--image-opts', opts]);
    this.p.stdout.on('data', (b: Buffer) => (this.out += b.toString()));
    this.p.stderr.on('data', (b: Buffer) => (this.out += b.toString()));
    t.after(() => this.close());
  }
  private ready: Promise<unknown> | null = null;
  async run(cmd: string, done: RegExp): Promise<string> {
    // qemu-io prints its first prompt once it has logged in; a command sent before that would
    // take that prompt for the end of its own answer (slow logins under load).
    this.ready ??= waitFor(
      'qemu-io logged in',
      () => (this.out.includes('qemu-io> ') ? true : undefined),
      60_000,
    );
    await this.ready;
    const from = this.out.length;
    this.p.stdin.write(`${cmd}\n`);
    return waitFor(
      `qemu-io: ${cmd}`,
      () => (done.test(this.out.slice(from)) ? this.out.slice(from) : undefined),
      30_000,
    );
  }
  close(): void {
    if (this.p.exitCode === null) {
      this.p.stdin.end();
      this.p.kill('SIGTERM');
    }
  }
}

/** tgtadm's view of a target: its I_T nexus numbers (one per open session) and its LUNs. */
export function tgtView(dataDir: string, tid: number): { nexus: string[]; luns: number[]; acl: string[] } {
  const r = client(['tgtadm', '-C', '0', '--lld', 'iscsi', '--op', 'show', '--mode', 'target'], {
    TGT_IPC_SOCKET: join(dataDir, 'daemons', 'tgtd', 'tgtd.sock'),
  });
  const block = r.out.split(/^Target /m).find((b) => b.startsWith(`${tid}:`)) ?? '';
  const nexus = [...block.matchAll(/I_T nexus: (\d+)/g)].map((m) => m[1]!);
  const luns = [...block.matchAll(/^\s+LUN: (\d+)/gm)].map((m) => Number(m[1]));
  const acl = (/ACL information:\n([\s\S]*)$/.exec(block)?.[1] ?? '')
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
  return { nexus, luns, acl };
}

/**
 * One iSCSI session held open by libiscsi itself (test/support/libiscsi-session.py over ctypes):
 * REPORT LUNS, sizes, writes and reads (answered with the bytes' SHA-256), all in the session
 * made at login, so a LUN added later is seen by an initiator already logged in.
 */
export class LibiscsiSession {
  private out = '';
  private answered = 0;
  private readonly p: ChildProcessWithoutNullStreams;
  constructor(
    t: T,
    args: { portal: string; iqn: string; initiator: string; lun: number; user?: string; secret?: string },
  ) {
    this.p = spawn(
      'python3',
      [
        join(REPO, 'test/support/libiscsi-session.py'),
        args.portal,
        args.iqn,
        args.initiator,
        String(args.lun),
        ...(args.user ? [args.user] : []),
      ],
      { env: { ...process.env, LIBISCSI_CHAP_PASSWORD: args.secret ?? '' } },
    );
    this.p.stdout.on('data', (b: Buffer) => (this.out += b.toString()));
    this.p.stderr.on('data', (b: Buffer) => (this.out += b.toString()));
    t.after(() => this.close());
  }
  private async next(): Promise<Record<string, unknown>> {
    const line = await waitFor(
      'libiscsi session answer',
      () => this.out.split('\n').slice(0, -1)[this.answered],
      30_000,
    );
    this.answered++;
    const r = JSON.parse(line) as Record<string, unknown>;
    if (typeof r.error === 'string') throw new Error(`libiscsi: ${r.error}`);
    return r;
  }
  /** Resolves once logged in. */
  ready(): Promise<Record<string, unknown>> {
    return this.next();
  }
  send(req: Record<string, unknown>): Promise<Record<string, unknown>> {
    this.p.stdin.write(`${JSON.stringify(req)}\n`);
    return this.next();
  }
  async luns(): Promise<number[]> {
    return (await this.send({ op: 'luns' })).luns as number[];
  }
  close(): void {
    if (this.p.exitCode === null) {
      this.p.stdin.end();
      this.p.kill('SIGTERM');
    }
  }
}
