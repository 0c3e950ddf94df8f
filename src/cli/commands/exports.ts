// CLI commands of exports (issue 6): hosts, exports of volumes, supervised services.
import type { Command } from 'commander';
import { makeContext, withListOptions, listQueryString } from '../context.js';
import { cliEnv, secretFromEnv } from '../config.js';
import { sizeArg } from '../sizes.js';

type Opts = Record<string, string | string[] | boolean | number | undefined>;
const ctxOf = (c: Command) => makeContext(c);
const list = (v: unknown) => (v === undefined ? undefined : String(v).split(',').filter(Boolean));
const enc = encodeURIComponent;
const many = (v: string, prev: string[]) => [...prev, v];

/**
 * SMB share users and their passwords. A password never goes on the command line (other users
 * could read it in the process list): it comes from $CAIRN_SMB_PASSWORD_<NAME> (the name in capitals,
 * - as _), or $CAIRN_SMB_PASSWORD for every user without one of their own.
 */
export function smbUsers(
  names: string[],
  env: NodeJS.ProcessEnv = cliEnv(),
): { name: string; password: string }[] {
  return names.map((name) => {
    const own = `CAIRN_SMB_PASSWORD_${name.toUpperCase().replace(/[^A-Z0-9]/g, '_')}`;
    const password = env[own] ?? env.CAIRN_SMB_PASSWORD;
    if (!password) throw new Error(`set ${own} (or CAIRN_SMB_PASSWORD) to the SMB password of ${name}`);
    return { name, password };
  });
}

/** For an update: a user without a password in the environment keeps the one Samba has. */
const smbUsersKeeping = (names: string[]) =>
  names.map((name) => {
    try {
      return smbUsers([name])[0]!;
    } catch {
      return { name };
    }
  });

export function registerExportCommands(program: Command): void {
  const hosts = program.command('hosts').description('initiators (IQNs, addresses, CHAP)');
  withListOptions(hosts.command('list')).action(async (o: Opts, c: Command) =>
    ctxOf(c).list(await ctxOf(c).client.get(`hosts${listQueryString(o)}`), [
      'id',
      'name',
      'iqns',
      'addresses',
    ]),
  );
  hosts
    .command('create <name>')
    .option('--iqns <list>', 'comma-separated initiator names')
    .option('--addresses <list>', 'comma-separated addresses or networks')
    .option('--chap-user <user>')
    .option(
      '--chap-secret-env <var>',
      'read the CHAP secret (12-16 characters) from this environment variable',
    )
    .action(async (name: string, o: Opts, c: Command) => {
      const secret = o.chapSecretEnv ? secretFromEnv(String(o.chapSecretEnv)) : undefined;
      return ctxOf(c).change('POST', 'hosts', {
        name,
        ...(o.iqns ? { iqns: list(o.iqns) } : {}),
        ...(o.addresses ? { addresses: list(o.addresses) } : {}),
        ...(o.chapUser && secret ? { chap: { user: o.chapUser, secret } } : {}),
      });
    });
  hosts
    .command('delete <host>')
    .option('--cascade', 'also remove the exports that map it')
    .action(async (ref: string, o: Opts, c: Command) => {
      const x = ctxOf(c);
      await x.change('DELETE', `hosts/${enc(await x.id('hosts', ref))}${o.cascade ? '?cascade=true' : ''}`);
    });

  const exports = program.command('exports').description('iSCSI, NFS, SMB and NBD exports of volumes');
  withListOptions(exports.command('list')).action(async (o: Opts, c: Command) =>
    ctxOf(c).list(await ctxOf(c).client.get(`exports${listQueryString(o)}`), [
      'id',
      'protocol',
      'volume_id',
      'state',
      'read_only',
      'uri',
    ]),
  );
  exports
    .command('create <volume> <protocol>')
    .option('--hosts <hosts>', 'comma-separated host ids or names')
    .option('--allowed <list>', 'comma-separated addresses or networks')
    .option('--read-only')
    .option('--name <name>', 'smb share or nbd export name')
    .option('--no-root-squash', 'nfs: do not squash root')
    .option('--nfs-version <3|4>', 'nfs: a protocol version to offer (repeatable; default 3 and 4)', many, [])
    .option(
      '--smb-user <name>',
      'smb: a share user (repeatable); password from $CAIRN_SMB_PASSWORD_<NAME> or $CAIRN_SMB_PASSWORD',
      many,
      [],
    )
    .option('--guest', 'smb: let guests in without a password')
    .option('--lun <n>', 'iscsi: LUN number (default 1)')
    .option('--target-iqn <iqn>', 'iscsi: target name (default generated)')
    .option('--block-size <size>', 'iscsi: logical block size, 512 or 4096 (4K)', sizeArg)
    .option('--tls', 'nbd: require TLS')
    .action(async (volume: string, protocol: string, o: Opts, c: Command) => {
      const x = ctxOf(c);
      await x.change('POST', `volumes/${enc(await x.id('volumes', volume))}/exports`, {
        protocol,
        ...(o.hosts ? { hosts: await x.ids('hosts', String(o.hosts)) } : {}),
        ...(o.allowed ? { allowed: list(o.allowed) } : {}),
        ...(o.readOnly ? { read_only: true } : {}),
        ...(o.name ? { name: o.name } : {}),
        ...(protocol === 'nfs' && o.rootSquash === false ? { root_squash: false } : {}),
        ...((o.nfsVersion as string[]).length ? { versions: (o.nfsVersion as string[]).map(Number) } : {}),
        ...((o.smbUser as string[]).length ? { users: smbUsers(o.smbUser as string[]) } : {}),
        ...(o.guest ? { guest: true } : {}),
        ...(o.lun ? { lun: Number(o.lun) } : {}),
        ...(o.targetIqn ? { target_iqn: o.targetIqn } : {}),
        ...(o.blockSize ? { block_size: o.blockSize } : {}),
        ...(o.tls ? { tls: true } : {}),
      });
    });
  exports
    .command('update <export>')
    .description('change an export in place (its id, name and URI stay)')
    .option('--hosts <hosts>', 'comma-separated host ids or names (replaces the list)')
    .option('--allowed <list>', 'comma-separated addresses or networks (replaces the list)')
    .option('--read-only')
    .option('--read-write')
    .option('--root-squash', 'nfs')
    .option('--no-root-squash', 'nfs')
    .option('--nfs-version <3|4>', 'nfs: the versions offered from now on (repeatable)', many, [])
    .option(
      '--smb-user <name>',
      'smb: the share users from now on (repeatable); one without $CAIRN_SMB_PASSWORD_<NAME> keeps their password',
      many,
      [],
    )
    .option('--guest', 'smb: let guests in')
    .option('--no-guest', 'smb: no guests')
    .action(async (ref: string, o: Opts, c: Command) => {
      const x = ctxOf(c);
      await x.change('PATCH', `exports/${enc(await x.id('exports', ref))}`, {
        ...(o.hosts !== undefined ? { hosts: await x.ids('hosts', String(o.hosts)) } : {}),
        ...(o.allowed !== undefined ? { allowed: list(o.allowed) } : {}),
        ...(o.readOnly ? { read_only: true } : o.readWrite ? { read_only: false } : {}),
        ...(typeof o.rootSquash === 'boolean' ? { root_squash: o.rootSquash } : {}),
        ...((o.nfsVersion as string[]).length ? { versions: (o.nfsVersion as string[]).map(Number) } : {}),
        ...((o.smbUser as string[]).length ? { users: smbUsersKeeping(o.smbUser as string[]) } : {}),
        ...(typeof o.guest === 'boolean' ? { guest: o.guest } : {}),
      });
    });
  exports
    .command('show <export>')
    .description('an export by id or by its name (share, export name, target IQN)')
    .action(async (ref: string, _o, c: Command) => {
      const x = ctxOf(c);
      x.show(await x.client.get(`exports/${enc(await x.id('exports', ref))}`));
    });
  exports
    .command('delete <export>')
    .option('--force', 'even while clients are connected')
    .action(async (ref: string, o: Opts, c: Command) => {
      const x = ctxOf(c);
      await x.change('DELETE', `exports/${enc(await x.id('exports', ref))}${o.force ? '?force=true' : ''}`);
    });

  const services = program.command('services').description('daemons Cairn supervises');
  services.command('list').action(async (_o, c: Command) => {
    const r = await ctxOf(c).client.get<{ items: Record<string, unknown>[] }>('services');
    ctxOf(c).list({ items: r.items, total: r.items.length }, [
      'name',
      'state',
      'pid',
      'restarts',
      'last_error',
    ]);
  });
  for (const action of ['start', 'stop', 'restart'])
    services
      .command(`${action} <name>`)
      .action(async (name: string, _o, c: Command) =>
        ctxOf(c).change('POST', `services/${enc(name)}/${action}`),
      );
}
