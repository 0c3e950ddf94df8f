// CLI commands of monitoring: stats, alerts and rules, events and the unified log, status, and
// notification channels.
import type { Command } from 'commander';
import { makeContext, withListOptions, listQueryString } from '../context.js';

type Opts = Record<string, string | string[] | boolean | undefined>;
const x = (c: Command) => makeContext(c);
const enc = encodeURIComponent;

/** The shared list options plus the log-style ones (--from, --to, --order, --page). */
const withLogOptions = (c: Command) =>
  withListOptions(c)
    .option('--from <time>', 'at or after (ISO 8601)')
    .option('--to <time>', 'at or before (ISO 8601)')
    .option('--order <asc|desc>', 'order of the sort fields')
    .option('--page <n>', '1-based page of --limit entries');

const logQuery = (o: Opts) => {
  const base = listQueryString(o as Parameters<typeof listQueryString>[0]);
  const q = new URLSearchParams(base.slice(1));
  for (const k of ['from', 'to', 'order', 'page']) if (typeof o[k] === 'string') q.set(k, o[k]);
  const s = q.toString();
  return s ? `?${s}` : '';
};

export function registerMonitorCommands(program: Command): void {
  const stats = program.command('stats').description('live and historical statistics');
  stats
    .command('list')
    .option('--kind <kind>', 'node, disk, pool, volume or export')
    .action(async (o: Opts, c: Command) => {
      const r = await x(c).client.get<{ items: Record<string, unknown>[] }>(
        `stats${o.kind ? `?kind=${enc(String(o.kind))}` : ''}`,
      );
      x(c).list({ items: r.items, total: r.items.length }, ['kind', 'id', 'name', 'ts']);
    });
  stats
    .command('show <kind> <object>')
    .description('latest figures, or --history with --from/--to/--resolution')
    .option('--history', 'history instead of live figures')
    .option('--from <time>')
    .option('--to <time>')
    .option('--resolution <r>', 'raw, hour, day, month or auto')
    .option('--metrics <list>', 'comma-separated metric names')
    .action(async (kind: string, ref: string, o: Opts, c: Command) => {
      const named = { pool: 'pools', volume: 'volumes', disk: 'disks' } as const;
      const id = kind in named ? await x(c).id(named[kind as keyof typeof named], ref) : ref;
      const q = new URLSearchParams();
      for (const k of ['from', 'to', 'resolution', 'metrics']) if (typeof o[k] === 'string') q.set(k, o[k]);
      const path = `stats/${enc(kind)}/${enc(id)}/${o.history ? 'history' : 'live'}${q.size ? `?${q}` : ''}`;
      x(c).show(await x(c).client.get(path));
    });

  const alerts = program.command('alerts').description('alerts and alert rules');
  withListOptions(alerts.command('list')).action(async (o: Opts, c: Command) =>
    x(c).list(await x(c).client.get(`alerts${listQueryString(o)}`), [
      'id',
      'state',
      'severity',
      'rule',
      'object_id',
      'count',
      'raised_at',
      'message',
    ]),
  );
  alerts
    .command('show <id>')
    .action(async (id: string, _o, c: Command) => x(c).show(await x(c).client.get(`alerts/${enc(id)}`)));
  alerts
    .command('ack <id>')
    .description('acknowledge an alert')
    .action(async (id: string, _o, c: Command) => x(c).change('POST', `alerts/${enc(id)}/acknowledge`));
  alerts.command('rules').action(async (_o, c: Command) => {
    const r = await x(c).client.get<{ items: Record<string, unknown>[] }>('alert-rules');
    x(c).list(
      { items: r.items.map((i) => ({ ...i, params: JSON.stringify(i.params) })), total: r.items.length },
      ['id', 'enabled', 'params', 'name'],
    );
  });
  alerts
    .command('rule <id>')
    .description('change a rule: --set warn_percent=70, --enable or --disable')
    .option('--set <k=v...>', 'thresholds')
    .option('--enable')
    .option('--disable')
    .action(async (id: string, o: Opts, c: Command) => {
      const params: Record<string, number> = {};
      for (const kv of (o.set as string[] | undefined) ?? []) {
        const [k, v] = kv.split('=');
        if (k && v !== undefined) params[k] = Number(v);
      }
      await x(c).change('PATCH', `alert-rules/${enc(id)}`, {
        ...(Object.keys(params).length ? { params } : {}),
        ...(o.enable ? { enabled: true } : o.disable ? { enabled: false } : {}),
      });
    });

  withLogOptions(program.command('events').description('system events')).action(async (o: Opts, c: Command) =>
    x(c).list(await x(c).client.get(`events${logQuery(o)}`), [
      'at',
      'severity',
      'type',
      'object_id',
      'message',
    ]),
  );
  withLogOptions(
    program.command('logs').description('events, alerts and the audit trail in one list'),
  ).action(async (o: Opts, c: Command) =>
    x(c).list(await x(c).client.get(`logs${logQuery(o)}`), ['at', 'source', 'severity', 'type', 'message']),
  );

  program
    .command('status [what]')
    .description('system (default), capacity, services or cluster')
    .action(async (what: string | undefined, _o, c: Command) =>
      x(c).show(await x(c).client.get(`status/${enc(what ?? 'system')}`)),
    );

  const n = program.command('notifications').description('notification channels (webhook, email)');
  withListOptions(n.command('list')).action(async (o: Opts, c: Command) =>
    x(c).list(await x(c).client.get(`notification-channels${listQueryString(o)}`), [
      'id',
      'name',
      'type',
      'enabled',
      'min_severity',
    ]),
  );
  n.command('add-webhook <name> <url>')
    .option('--secret <secret>', 'HMAC-SHA256 key (X-Cairn-Signature)')
    .option('--min-severity <s>', 'info, warning, error or critical')
    .action(async (name: string, url: string, o: Opts, c: Command) =>
      x(c).change('POST', 'notification-channels', {
        name,
        type: 'webhook',
        url,
        ...(o.secret ? { secret: o.secret } : {}),
        ...(o.minSeverity ? { min_severity: o.minSeverity } : {}),
      }),
    );
  n.command('add-email <name>')
    .requiredOption('--to <address...>')
    .requiredOption('--from <address>')
    .requiredOption('--smtp-host <host>')
    .option('--smtp-port <port>')
    .option('--smtp-security <s>', 'tls, starttls or none')
    .option('--smtp-user <user>')
    .option('--smtp-password <password>')
    .option('--min-severity <s>')
    .action(async (name: string, o: Opts, c: Command) =>
      x(c).change('POST', 'notification-channels', {
        name,
        type: 'email',
        to: o.to,
        from: o.from,
        smtp_host: o.smtpHost,
        ...(o.smtpPort ? { smtp_port: Number(o.smtpPort) } : {}),
        ...(o.smtpSecurity ? { smtp_security: o.smtpSecurity } : {}),
        ...(o.smtpUser ? { smtp_user: o.smtpUser } : {}),
        ...(o.smtpPassword ? { smtp_password: o.smtpPassword } : {}),
        ...(o.minSeverity ? { min_severity: o.minSeverity } : {}),
      }),
    );
  const channel = async (c: Command, ref: string) =>
    `notification-channels/${enc(await x(c).id('notification-channels', ref))}`;
  n.command('test <channel>').action(async (ref: string, _o, c: Command) =>
    x(c).change('POST', `${await channel(c, ref)}/test`),
  );
  n.command('delete <channel>').action(async (ref: string, _o, c: Command) =>
    x(c).change('DELETE', await channel(c, ref)),
  );
}
