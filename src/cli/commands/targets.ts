// CLI commands of iSCSI targets: list, show, create, update, delete, and LUNs added and removed.
// A target is given by id or by IQN; hosts and volumes by id or name.
import type { Command } from 'commander';
import { makeContext, withListOptions, listQueryString, type CliContext } from '../context.js';

type Opts = Record<string, string | boolean | undefined>;
const enc = encodeURIComponent;

/** A target's id from its id or its IQN (one indexed lookup by the list's iqn filter). */
async function targetId(x: CliContext, ref: string): Promise<string> {
  if (!/^(iqn|eui)\./.test(ref)) return ref;
  const page = await x.client.get<{ items: { id: string }[] }>(`targets?iqn=${enc(ref)}&limit=1`);
  if (!page.items[0]) throw new Error(`no target is named ${ref}`);
  return page.items[0].id;
}

export function registerTargetCommands(program: Command): void {
  const targets = program.command('targets').description('iSCSI targets: IQN, hosts allowed, LUNs');
  withListOptions(targets.command('list')).action(async (o: Opts, c: Command) =>
    makeContext(c).list(await makeContext(c).client.get(`targets${listQueryString(o)}`), [
      'id',
      'iqn',
      'alias',
      'host_ids',
      'export_id',
    ]),
  );
  targets.command('show <target>').action(async (ref: string, _o: Opts, c: Command) => {
    const x = makeContext(c);
    x.show(await x.client.get(`targets/${enc(await targetId(x, ref))}`));
  });
  targets
    .command('create')
    .option('--iqn <iqn>', 'the target name (default generated)')
    .option('--alias <alias>')
    .option('--hosts <hosts>', 'comma-separated host ids or names allowed to log in')
    .action(async (o: Opts, c: Command) => {
      const x = makeContext(c);
      await x.change('POST', 'targets', {
        ...(o.iqn ? { iqn: o.iqn } : {}),
        ...(o.alias ? { alias: o.alias } : {}),
        ...(o.hosts ? { host_ids: await x.ids('hosts', String(o.hosts)) } : {}),
      });
    });
  targets
    .command('update <target>')
    .option('--alias <alias>')
    .option('--hosts <hosts>', 'comma-separated host ids or names (replaces the list; "" for none)')
    .action(async (ref: string, o: Opts, c: Command) => {
      const x = makeContext(c);
      await x.change('PATCH', `targets/${enc(await targetId(x, ref))}`, {
        ...(o.alias !== undefined ? { alias: o.alias } : {}),
        ...(o.hosts !== undefined ? { host_ids: o.hosts ? await x.ids('hosts', String(o.hosts)) : [] } : {}),
      });
    });
  targets
    .command('delete <target>')
    .option('--force', 'also with LUNs mapped or initiators logged in')
    .action(async (ref: string, o: Opts, c: Command) => {
      const x = makeContext(c);
      await x.change('DELETE', `targets/${enc(await targetId(x, ref))}${o.force ? '?force=true' : ''}`);
    });
  targets
    .command('lun-add <target> <volume>')
    .option('--lun <n>', 'the LUN number (default the next free)')
    .action(async (ref: string, vol: string, o: Opts, c: Command) => {
      const x = makeContext(c);
      await x.change('POST', `targets/${enc(await targetId(x, ref))}/luns`, {
        volume_id: await x.id('volumes', vol),
        ...(o.lun ? { lun: Number(o.lun) } : {}),
      });
    });
  targets
    .command('lun-remove <target> <lun>')
    .action(async (ref: string, lun: string, _o: Opts, c: Command) => {
      const x = makeContext(c);
      await x.change('DELETE', `targets/${enc(await targetId(x, ref))}/luns/${enc(lun)}`);
    });
}
