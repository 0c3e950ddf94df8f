// CLI commands of attachments and maintenance mode: `cairn volumes attach`, `cairn attachments …`,
// `cairn system maintenance on|off`.
import type { Command } from 'commander';
import { makeContext, withListOptions, listQueryString } from '../context.js';

type Opts = Record<string, string | string[] | boolean | undefined>;
const enc = encodeURIComponent;

export function registerAttachmentCommands(program: Command): void {
  const vols = program.commands.find((c) => c.name() === 'volumes') ?? program.command('volumes');
  vols
    .command('attach <volume>')
    .description('use a volume on this machine (a mount, or a lun as a loop device)')
    .requiredOption('--requester <name>', 'who uses it; the same requester again gets the same attachment')
    .option('--mount-path <path>', 'inside an allowed mount root (CAIRN_MOUNT_ROOTS)')
    .option('--read-only', 'mount read-only')
    .option('--fs <fs>', 'lun: ext4 or xfs when it is formatted (once)')
    .action(async (ref: string, o: Opts, c: Command) => {
      const x = makeContext(c);
      const id = await x.id('volumes', ref);
      const r = await x.client.request('POST', `volumes/${enc(id)}/attachments`, {
        requester: o.requester,
        ...(o.mountPath ? { mount_path: o.mountPath } : {}),
        ...(o.readOnly ? { read_only: true } : {}),
        ...(o.fs ? { fs: o.fs } : {}),
      });
      x.show(r.body);
    });

  const att = program.command('attachments').description('volumes used on this machine');
  withListOptions(att.command('list').description('list attachments'))
    .option('--volume <volume>', 'only this volume (id or name)')
    .option('--requester <name>', 'only this requester')
    .action(async (o: Opts, c: Command) => {
      const x = makeContext(c);
      const q = new URLSearchParams(listQueryString(o).replace(/^\?/, ''));
      if (o.volume) q.set('volume_id', await x.id('volumes', String(o.volume)));
      if (o.requester) q.set('requester', String(o.requester));
      const qs = q.toString();
      x.list(await x.client.get(`attachments${qs ? `?${qs}` : ''}`), [
        'id',
        'volume_id',
        'requester',
        'mount_path',
        'device_path',
        'read_only',
        'state',
      ]);
    });
  att.command('show <id>').action(async (id: string, _o, c: Command) => {
    const x = makeContext(c);
    x.show(await x.client.get(`attachments/${enc(id)}`));
  });
  att
    .command('mount <id> [path]')
    .description(
      "move the volume's mount in place: a lun gains a mount at path (formatted once), or without a path keeps only its loop device",
    )
    .option('--fs <fs>', 'lun: ext4 or xfs when it is formatted (once)')
    .action(async (id: string, path: string | undefined, o: Opts, c: Command) => {
      const x = makeContext(c);
      const r = await x.client.request('PATCH', `attachments/${enc(id)}`, {
        mount_path: path ?? null,
        ...(o.fs ? { fs: o.fs } : {}),
      });
      x.show(r.body);
    });
  att
    .command('delete <id>')
    .description('detach (the last requester unmounts)')
    .action(async (id: string, _o, c: Command) => {
      const x = makeContext(c);
      await x.client.request('DELETE', `attachments/${enc(id)}`);
    });

  const system = program.commands.find((c) => c.name() === 'system') ?? program.command('system');
  system
    .command('maintenance [state]')
    .description(
      'maintenance mode: on (schedules and replication pause; new attachments and exports refused), off, or show',
    )
    .action(async (state: string | undefined, _o, c: Command) => {
      const x = makeContext(c);
      if (state === undefined) return x.show(await x.client.get('system/maintenance'));
      if (state !== 'on' && state !== 'off') throw new Error('say on or off');
      x.show((await x.client.request('POST', 'system/maintenance', { enabled: state === 'on' })).body);
    });
}
