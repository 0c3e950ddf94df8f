// CLI commands of the foundation: system, health, jobs, users, roles, keys, audit, and `api` for
// any endpoint by path.
import type { Command } from 'commander';
import { makeContext, withListOptions, listQueryString } from '../context.js';

type Opts = Record<string, string | string[] | boolean | undefined>;
const ctxOf = (c: Command) => makeContext(c);

export function registerCoreCommands(program: Command): void {
  program
    .command('system')
    .description('show system information')
    .action(async (_o, c: Command) => ctxOf(c).show(await ctxOf(c).client.get('system')));
  program
    .command('health')
    .description('liveness and readiness (no credentials needed)')
    .action(async (_o, c: Command) => ctxOf(c).show(await ctxOf(c).client.get('health')));
  program
    .command('certificate')
    .description("the server's certificate fingerprint, to pin with --fingerprint")
    .action(async (_o, c: Command) => {
      const x = makeContext(c);
      const cert = await x.client.get<{ fingerprint_sha256: string; subject: string; valid_to: string }>(
        'system/certificate',
      );
      x.show(
        x.json
          ? cert
          : { fingerprint_sha256: cert.fingerprint_sha256, subject: cert.subject, valid_to: cert.valid_to },
      );
    });

  const jobs = program.command('jobs').description('durable jobs');
  withListOptions(jobs.command('list').description('list jobs')).action(async (o: Opts, c: Command) =>
    ctxOf(c).list(await ctxOf(c).client.get(`jobs${listQueryString(o)}`), [
      'id',
      'kind',
      'state',
      'progress',
      'object_id',
      'created_at',
      'title',
    ]),
  );
  jobs
    .command('show <id>')
    .action(async (id: string, _o, c: Command) =>
      ctxOf(c).show(await ctxOf(c).client.get(`jobs/${encodeURIComponent(id)}`)),
    );
  jobs.command('logs <id>').action(async (id: string, _o, c: Command) => {
    const x = ctxOf(c);
    const r = await x.client.get<{ items: { at: string; level: string; message: string }[] }>(
      `jobs/${encodeURIComponent(id)}/logs`,
    );
    if (x.json) return x.show(r);
    for (const l of r.items) process.stdout.write(`${l.at} ${l.level.padEnd(5)} ${l.message}\n`);
  });
  jobs
    .command('cancel <id>')
    .action(async (id: string, _o, c: Command) =>
      ctxOf(c).change('POST', `jobs/${encodeURIComponent(id)}/cancel`),
    );

  const users = program.command('users').description('users and their roles');
  withListOptions(users.command('list')).action(async (o: Opts, c: Command) =>
    ctxOf(c).list(await ctxOf(c).client.get(`users${listQueryString(o)}`), [
      'id',
      'name',
      'role',
      'enabled',
      'created_at',
    ]),
  );
  users
    .command('create <name>')
    .requiredOption('--new-password <password>', "the new user's password, at least 8 characters")
    .option('--role <role>', 'admin, operator, viewer or a custom role', 'viewer')
    .option('--smb', 'may use SMB shares')
    .action(async (name: string, o: Opts, c: Command) =>
      ctxOf(c).change('POST', 'users', {
        name,
        password: o.newPassword,
        role: o.role,
        ...(o.smb ? { smb_enabled: true } : {}),
      }),
    );
  users
    .command('update <user>')
    .option('--new-password <password>')
    .option('--role <role>')
    .option('--enable')
    .option('--disable')
    .action(async (ref: string, o: Opts, c: Command) => {
      const x = ctxOf(c);
      await x.change('PATCH', `users/${encodeURIComponent(await x.id('users', ref))}`, {
        ...(o.newPassword ? { password: o.newPassword } : {}),
        ...(o.role ? { role: o.role } : {}),
        ...(o.enable ? { enabled: true } : o.disable ? { enabled: false } : {}),
      });
    });
  users.command('delete <user>').action(async (ref: string, _o, c: Command) => {
    const x = ctxOf(c);
    await x.change('DELETE', `users/${encodeURIComponent(await x.id('users', ref))}`);
  });

  const roles = program.command('roles').description('roles: sets of resource.verb permissions');
  withListOptions(roles.command('list')).action(async (o: Opts, c: Command) =>
    ctxOf(c).list(await ctxOf(c).client.get(`roles${listQueryString(o)}`), [
      'id',
      'name',
      'builtin',
      'permissions',
    ]),
  );
  roles
    .command('create <name>')
    .requiredOption('--permissions <list>', 'comma-separated, e.g. pool.read,volume.*')
    .option('--description <text>')
    .action(async (name: string, o: Opts, c: Command) =>
      ctxOf(c).change('POST', 'roles', {
        name,
        permissions: String(o.permissions).split(','),
        ...(o.description ? { description: o.description } : {}),
      }),
    );
  roles.command('delete <role>').action(async (ref: string, _o, c: Command) => {
    const x = ctxOf(c);
    await x.change('DELETE', `roles/${encodeURIComponent(await x.id('roles', ref))}`);
  });

  const keys = program
    .command('keys')
    .alias('api-keys')
    .description('API keys (the secret is shown once, at creation)');
  withListOptions(keys.command('list')).action(async (o: Opts, c: Command) =>
    ctxOf(c).list(await ctxOf(c).client.get(`api-keys${listQueryString(o)}`), [
      'id',
      'name',
      'user_id',
      'pools',
      'expires_at',
      'last_used_at',
      'enabled',
    ]),
  );
  keys
    .command('create <name>')
    .option('--permissions <list>', 'comma-separated; default: yours')
    .option('--pools <pools>', 'comma-separated pools (ids or names) the key is limited to')
    .option('--expires <time>', 'ISO 8601 time')
    .action(async (name: string, o: Opts, c: Command) => {
      const x = ctxOf(c);
      await x.change('POST', 'api-keys', {
        name,
        ...(o.permissions ? { permissions: String(o.permissions).split(',') } : {}),
        ...(o.pools ? { pools: await x.ids('pools', String(o.pools)) } : {}),
        ...(o.expires ? { expires_at: o.expires } : {}),
      });
    });
  keys
    .command('update <key>')
    .description('rename a key, or disable and enable it')
    .option('--name <name>', 'a new name')
    .option('--enable', 'accept the key again')
    .option('--disable', 'refuse the key (API_KEY_DISABLED) until enabled; it is kept')
    .action(async (ref: string, o: Opts, c: Command) => {
      const x = ctxOf(c);
      if (o.enable && o.disable) throw new Error('--enable or --disable, not both');
      await x.change('PATCH', `api-keys/${encodeURIComponent(await x.id('api-keys', ref))}`, {
        ...(o.name ? { name: o.name } : {}),
        ...(o.enable ? { enabled: true } : {}),
        ...(o.disable ? { enabled: false } : {}),
      });
    });
  keys.command('delete <key>').action(async (ref: string, _o, c: Command) => {
    const x = ctxOf(c);
    await x.change('DELETE', `api-keys/${encodeURIComponent(await x.id('api-keys', ref))}`);
  });

  withListOptions(program.command('audit').description('the audit trail of changes')).action(
    async (o: Opts, c: Command) =>
      ctxOf(c).list(await ctxOf(c).client.get(`audit${listQueryString(o)}`), [
        'at',
        'actor',
        'source',
        'method',
        'url',
        'status',
        'error_code',
      ]),
  );

  program
    .command('api <method> <path>')
    .description(
      'call any endpoint, e.g. `cairn api GET /api/v1/pools` or `cairn api POST pools --data {...}`',
    )
    .option('--data <json>', 'request body')
    .action(async (method: string, path: string, o: Opts, c: Command) => {
      const x = ctxOf(c);
      const body = o.data ? (JSON.parse(String(o.data)) as unknown) : undefined;
      if (method.toUpperCase() === 'GET') x.show(await x.client.get(path));
      else await x.change(method.toUpperCase(), path, body);
    });
}
