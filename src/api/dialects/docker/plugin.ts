// Docker's volume plugin protocol (Plugin.Activate, VolumeDriver.*) on the plugin socket: JSON
// POSTs from dockerd, answers with `Err` on failure. Translates to the Docker view of volumes.
import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { CairnError } from '../../../domain/errors.js';
import type { Principal } from '../../../domain/permissions.js';
import type { Volume } from '../../../domain/volumes.js';
import { toErrorReply } from '../../server.js';
import { engineError } from './errors.js';
import { dockerTime } from './map.js';
import type { DockerVolumes } from './volumes.js';

export const DIALECT = 'docker';
export const cfg = (permission: string) => ({ permission, dialect: DIALECT });

const Name = Type.String({ minLength: 1, maxLength: 1024 });
const NameBody = Type.Object({ Name: Name }, { additionalProperties: false });
const MountBody = Type.Object(
  { Name: Name, ID: Type.String({ maxLength: 128 }) },
  { additionalProperties: false },
);
const CreateBody = Type.Object(
  {
    Name: Name,
    Opts: Type.Optional(Type.Union([Type.Null(), Type.Record(Type.String(), Type.String())])),
  },
  { additionalProperties: false },
);
const Empty = Type.Union([Type.Null(), Type.Object({}, { additionalProperties: false })]);

/**
 * dockerd posts JSON without a JSON content type (and `null` or nothing for calls without
 * arguments): every body is read as JSON, an empty one as `{}`.
 */
export function lenientJson(app: FastifyInstance): void {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'string' }, (_req, body, done) => {
    const text = String(body).trim();
    if (text === '' || text === 'null') return done(null, {});
    try {
      done(null, JSON.parse(text));
    } catch {
      const e = new Error('the body is not JSON') as Error & { statusCode: number };
      e.statusCode = 400;
      done(e, undefined);
    }
  });
}

/** The plugin protocol on the socket of driver `name` (the plugin's own name or an alias). */
export async function pluginRoutes(app: FastifyInstance, dv: DockerVolumes, name: string): Promise<void> {
  lenientJson(app);
  app.setErrorHandler((err, req, reply) => {
    const r = toErrorReply(err, req.id);
    if (r.internal) req.log.error({ err }, 'unexpected error');
    const e = (r.body as { error: { code: string; message: string; details?: Record<string, unknown> } })
      .error;
    void reply.code(500).send({ Err: engineError(e.code, r.status, e.message, e.details ?? {}).message });
  });
  app.setNotFoundHandler((req, reply) => {
    void reply.code(404).send({ Err: `no such plugin call: ${req.method} ${req.url.split('?')[0]}` });
  });

  const volumeOut = async (p: Principal, v: Volume) => ({
    Name: v.name,
    Mountpoint: await dv.mounts.path(p, v),
    CreatedAt: dockerTime(v.created_at),
    Status: { id: v.id, pool: v.pool, type: v.type, size: v.size, used: v.used, state: v.state },
  });
  const post = <B>(
    path: string,
    permission: string,
    body: unknown,
    handler: (p: Principal, b: FastifyRequest<{ Body: B }>['body']) => Promise<Record<string, unknown>>,
  ) =>
    app.post<{ Body: B }>(
      path,
      {
        config: cfg(permission),
        schema: { summary: `Docker plugin ${path.slice(1)}`, body: body as object },
      },
      async (req) => ({ ...(await handler(req.principal, req.body)), Err: '' }),
    );

  app.post(
    '/Plugin.Activate',
    { config: cfg('volume.read'), schema: { summary: 'Docker plugin handshake', body: Empty } },
    async () => ({ Implements: ['VolumeDriver'] }),
  );
  post<Static<typeof CreateBody>>('/VolumeDriver.Create', 'volume.write', CreateBody, async (p, b) => {
    const opts = b.Opts ?? {};
    await dv.claim(p, await dv.create(p, dv.plan(b.Name, opts), { driver: name, options: opts }), name);
    return {};
  });
  post<Static<typeof NameBody>>('/VolumeDriver.Remove', 'volume.write', NameBody, async (p, b) => {
    await dv.remove(p, await dv.get(p, b.Name));
    return {};
  });
  post<Static<typeof MountBody>>('/VolumeDriver.Mount', 'volume.write', MountBody, async (p, b) => ({
    Mountpoint: await dv.mounts.mount(p, await dv.get(p, b.Name), b.ID),
  }));
  post<Static<typeof MountBody>>('/VolumeDriver.Unmount', 'volume.write', MountBody, async (p, b) => {
    await dv.mounts.unmount(p, await dv.get(p, b.Name), b.ID);
    return {};
  });
  post<Static<typeof NameBody>>('/VolumeDriver.Path', 'volume.read', NameBody, async (p, b) => ({
    Mountpoint: await dv.mounts.path(p, await dv.get(p, b.Name)),
  }));
  // Get and List answer only the volumes of this driver name (the one they were made or claimed
  // under): dockerd asks every plugin, keeps the first driver whose Get answers a volume it does
  // not know yet, and would show a volume listed by both `cairn` and `pxd` twice.
  post<Static<typeof NameBody>>('/VolumeDriver.Get', 'volume.read', NameBody, async (p, b) => {
    const v = await dv.get(p, b.Name);
    if (dv.listedBy(v) !== name) throw new CairnError('VOLUME_NOT_FOUND', { id: b.Name });
    return { Volume: await volumeOut(p, v) };
  });
  post<Static<typeof Empty>>('/VolumeDriver.List', 'volume.read', Empty, async (p) => ({
    Volumes: await Promise.all(
      (await dv.all(p))
        .filter((v) => dv.listedBy(v) === name)
        .map(async (v) => ({ Name: v.name, Mountpoint: await dv.mounts.path(p, v) })),
    ),
  }));
  post<Static<typeof Empty>>('/VolumeDriver.Capabilities', 'volume.read', Empty, async () => ({
    // One machine: what Docker on this host sees is all there is.
    Capabilities: { Scope: 'local' },
  }));
}
