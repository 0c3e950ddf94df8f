// `cairn schedules|partners|relationships|sessions`: snapshot/scrub/dedup/replication schedules,
// partner systems, replication relationships (sync, promote, reverse) and sessions (cancel).
import type { Command } from 'commander';
import { makeContext, withListOptions, listQueryString, type CliContext } from '../context.js';
import { secretFromEnv } from '../config.js';

type Opts = Record<string, string | string[] | boolean | undefined>;
const x = (c: Command) => makeContext(c);
const enc = encodeURIComponent;
const retention = (o: Opts) => {
  const r: Record<string, number> = {};
  for (const k of ['keep_last', 'hourly', 'daily', 'weekly', 'monthly', 'yearly'] as const) {
    const v = o[k.replace('_', '')] ?? o[k];
    if (typeof v === 'string') r[k] = Number(v);
  }
  return Object.keys(r).length ? r : undefined;
};
const withRetention = (c: Command) =>
  c
    .option('--keep-last <n>', 'keep the newest N')
    .option('--hourly <n>')
    .option('--daily <n>')
    .option('--weekly <n>')
    .option('--monthly <n>')
    .option('--yearly <n>');
const keepOpts = (o: Opts): Opts => ({ ...o, keep_last: o.keepLast });
const schedule = async (x: CliContext, ref: string) => `schedules/${enc(await x.id('schedules', ref))}`;
const partner = async (x: CliContext, ref: string) => `partners/${enc(await x.id('partners', ref))}`;
/** A schedule's target by id or name: a volume (snapshot), a pool (scrub, dedup); relationships have ids only. */
const target = async (x: CliContext, kind: unknown, ref: string) =>
  kind === 'snapshot'
    ? x.id('volumes', ref)
    : kind === 'scrub' || kind === 'dedup'
      ? x.id('pools', ref)
      : ref;

export function registerProtectionCommands(program: Command): void {
  const sch = program.command('schedules').description('snapshot, scrub, dedup and replication schedules');
  withListOptions(sch.command('list')).action(async (o: Opts, c: Command) =>
    x(c).list(await x(c).client.get(`schedules${listQueryString(o)}`), [
      'id',
      'name',
      'kind',
      'target',
      'cron',
      'description',
      'enabled',
      'next_run_at',
      'last_status',
    ]),
  );
  sch.command('show <schedule>').action(async (ref: string, _o, c: Command) => {
    const cx = x(c);
    cx.show(await cx.client.get(await schedule(cx, ref)));
  });
  withRetention(
    sch
      .command('create <name>')
      .requiredOption('--kind <kind>', 'snapshot | scrub | dedup | replication')
      .requiredOption('--target <target>', 'volume or pool (id or name), or relationship id')
      .requiredOption('--cron <expr>', 'e.g. "0 2 * * *"')
      .option('--time-zone <tz>', 'IANA zone (default UTC)')
      .option('--prefix <prefix>', 'snapshot name prefix')
      .option('--disabled', 'create it paused'),
  ).action(async (name: string, o: Opts, c: Command) => {
    const r = retention(keepOpts(o));
    const cx = x(c);
    await cx.change('POST', 'schedules', {
      name,
      kind: o.kind,
      target: await target(cx, o.kind, String(o.target)),
      cron: o.cron,
      ...(o.timeZone ? { time_zone: o.timeZone } : {}),
      ...(o.prefix ? { prefix: o.prefix } : {}),
      ...(o.disabled ? { enabled: false } : {}),
      ...(r ? { retention: r } : {}),
    });
  });
  for (const [verb, enabled] of [
    ['enable', true],
    ['disable', false],
  ] as const)
    sch.command(`${verb} <schedule>`).action(async (ref: string, _o, c: Command) => {
      const cx = x(c);
      await cx.change('PATCH', await schedule(cx, ref), { enabled });
    });
  sch
    .command('run <schedule>')
    .description('run once now')
    .action(async (ref: string, _o, c: Command) => {
      const cx = x(c);
      await cx.change('POST', `${await schedule(cx, ref)}/run`);
    });
  sch.command('delete <schedule>').action(async (ref: string, _o, c: Command) => {
    const cx = x(c);
    await cx.change('DELETE', await schedule(cx, ref));
  });

  const par = program.command('partners').description('other Cairn systems to replicate to');
  withListOptions(par.command('list')).action(async (o: Opts, c: Command) =>
    x(c).list(await x(c).client.get(`partners${listQueryString(o)}`), [
      'id',
      'name',
      'url',
      'remote_name',
      'verified_at',
    ]),
  );
  par.command('show <partner>').action(async (ref: string, _o, c: Command) => {
    const cx = x(c);
    cx.show(await cx.client.get(await partner(cx, ref)));
  });
  par
    .command('add <name>')
    .requiredOption('--url <url>', 'https://host:port of the partner')
    .requiredOption(
      '--fingerprint <sha256>',
      "the partner's certificate fingerprint (cairn certificate there)",
    )
    .option(
      '--api-key-env <var>',
      'read the partner API key from this environment variable',
      'CAIRN_PARTNER_KEY',
    )
    .action(async (name: string, o: Opts, c: Command) => {
      const key = secretFromEnv(String(o.apiKeyEnv));
      if (!key) throw new Error(`set ${String(o.apiKeyEnv)} to an API key of the partner`);
      await x(c).change('POST', 'partners', {
        name,
        url: o.url,
        fingerprint_sha256: o.fingerprint,
        api_key: key,
      });
    });
  par.command('check <partner>').action(async (ref: string, _o, c: Command) => {
    const cx = x(c);
    await cx.change('POST', `${await partner(cx, ref)}/check`);
  });
  par.command('remove <partner>').action(async (ref: string, _o, c: Command) => {
    const cx = x(c);
    await cx.change('DELETE', await partner(cx, ref));
  });

  const rel = program.command('relationships').description('replication relationships');
  withListOptions(rel.command('list')).action(async (o: Opts, c: Command) =>
    x(c).list(await x(c).client.get(`relationships${listQueryString(o)}`), [
      'id',
      'role',
      'state',
      'volume',
      'partner',
      'remote_pool',
      'last_sync_status',
      'last_success_at',
    ]),
  );
  rel
    .command('show <id>')
    .action(async (id: string, _o, c: Command) =>
      x(c).show(await x(c).client.get(`relationships/${enc(id)}`)),
    );
  withRetention(
    rel
      .command('create')
      .requiredOption('--volume <volume>', 'id or name')
      .requiredOption('--partner <partner>', 'id or name')
      .requiredOption('--target-pool <id>', 'pool id on the partner')
      .option('--target-volume-name <name>')
      .option('--reuse', 'take the partner’s existing volume of that name as the replica'),
  ).action(async (o: Opts, c: Command) => {
    const r = retention(keepOpts(o));
    const cx = x(c);
    await cx.change('POST', 'relationships', {
      volume: await cx.id('volumes', String(o.volume)),
      partner: await cx.id('partners', String(o.partner)),
      target_pool: o.targetPool,
      ...(o.targetVolumeName ? { target_volume_name: o.targetVolumeName } : {}),
      ...(o.reuse ? { reuse: true } : {}),
      ...(r ? { replica_retention: r } : {}),
    });
  });
  rel
    .command('sync <id>')
    .description('start a session now')
    .action(async (id: string, _o, c: Command) => x(c).change('POST', `relationships/${enc(id)}/sync`));
  rel
    .command('promote <id>')
    .description('failover (replica side)')
    .action(async (id: string, _o, c: Command) => x(c).change('POST', `relationships/${enc(id)}/promote`));
  rel
    .command('reverse <id>')
    .description('after promote: replicate back to the original system')
    .requiredOption('--partner <partner>', 'id or name')
    .requiredOption('--target-pool <id>', 'pool id on the partner')
    .option('--target-volume-name <name>')
    .action(async (id: string, o: Opts, c: Command) => {
      const cx = x(c);
      await cx.change('POST', `relationships/${enc(id)}/reverse`, {
        partner: await cx.id('partners', String(o.partner)),
        target_pool: o.targetPool,
        ...(o.targetVolumeName ? { target_volume_name: o.targetVolumeName } : {}),
      });
    });
  rel
    .command('delete <id>')
    .option('--preserve-replica', 'keep the replica volume on the partner')
    .action(async (id: string, o: Opts, c: Command) =>
      x(c).change('DELETE', `relationships/${enc(id)}${o.preserveReplica ? '?preserve_replica=true' : ''}`),
    );

  const ses = program.command('sessions').description('replication sessions');
  withListOptions(ses.command('list')).action(async (o: Opts, c: Command) =>
    x(c).list(await x(c).client.get(`sessions${listQueryString(o)}`), [
      'id',
      'relationship',
      'direction',
      'status',
      'bytes_sent',
      'rate',
      'progress',
      'parent_snapshot',
      'message',
    ]),
  );
  ses
    .command('show <id>')
    .action(async (id: string, _o, c: Command) => x(c).show(await x(c).client.get(`sessions/${enc(id)}`)));
  ses
    .command('cancel <id>')
    .action(async (id: string, _o, c: Command) => x(c).change('POST', `sessions/${enc(id)}/cancel`));
}
