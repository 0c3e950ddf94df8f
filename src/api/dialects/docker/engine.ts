// Docker's Engine API, volume part, served by Cairn on its own socket: /_ping, /version and
// /volumes (list with filters, create, inspect, remove, prune), with or without a /v1.NN prefix,
// errors as `{"message"}`. For tools scripting volumes with the docker CLI or docker-py.
import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { randomBytes } from 'node:crypto';
import { arch, release } from 'node:os';
import { CairnError } from '../../../domain/errors.js';
import type { Principal } from '../../../domain/permissions.js';
import type { Volume } from '../../../domain/volumes.js';
import { CAIRN_VERSION } from '../../../services/system.js';
import { toErrorReply } from '../../server.js';
import { engineError } from './errors.js';
import {
  ANONYMOUS_LABEL,
  API_VERSION,
  ENGINE_FILTERS,
  MIN_API_VERSION,
  PRUNE_FILTERS,
  anonymousName,
  dockerTime,
  labelFilters,
  filterProblem,
  matchesFilters,
  parseFilters,
  prunable,
  requestedVersion,
  type DockerVolumeFacts,
  type EngineVolume,
} from './map.js';
import { cfg, lenientJson } from './plugin.js';
import type { DockerVolumes } from './volumes.js';

const Version = Type.Optional(Type.String({ pattern: '^v[0-9]+\\.[0-9]+$' }));
const VersionParams = Type.Object({ version: Version }, { additionalProperties: false });
const NameParams = Type.Object(
  { version: Version, name: Type.String({ minLength: 1, maxLength: 256 }) },
  { additionalProperties: false },
);
const FiltersQuery = Type.Object({ filters: Type.Optional(Type.String()) }, { additionalProperties: false });
const Bool = Type.Union([Type.Boolean(), Type.String({ pattern: '^(true|false|1|0|True|False)$' })]);
const RemoveQuery = Type.Object({ force: Type.Optional(Bool) }, { additionalProperties: false });
const StringMap = Type.Union([Type.Null(), Type.Record(Type.String(), Type.String())]);
const CreateBody = Type.Object(
  {
    Name: Type.Optional(Type.String({ maxLength: 1024 })),
    Driver: Type.Optional(Type.String({ maxLength: 256 })),
    DriverOpts: Type.Optional(StringMap),
    Labels: Type.Optional(StringMap),
    // Swarm cluster volumes: accepted only empty (Cairn is not a swarm).
    ClusterVolumeSpec: Type.Optional(Type.Null()),
    // Sent by some clients (the seed's own example) and ignored, as Docker ignores them.
    Mountpoint: Type.Optional(Type.String({ maxLength: 4096 })),
    Scope: Type.Optional(Type.String({ maxLength: 16 })),
  },
  { additionalProperties: false },
);

const truthy = (v: boolean | string | undefined): boolean =>
  v === true || v === 'true' || v === '1' || v === 'True';
const bad = (summary: string) => new CairnError('VALIDATION_FAILED', { summary });

export async function engineRoutes(app: FastifyInstance, dv: DockerVolumes): Promise<void> {
  lenientJson(app);
  app.setErrorHandler((err, req, reply) => {
    const r = toErrorReply(err, req.id);
    if (r.internal) req.log.error({ err }, 'unexpected error');
    const e = (r.body as { error: { code: string; message: string; details?: Record<string, unknown> } })
      .error;
    const out = engineError(e.code, r.status, e.message, e.details ?? {});
    void reply.code(out.status).send({ message: out.message });
  });
  app.setNotFoundHandler((_req, reply) => {
    void reply.code(404).send({ message: 'page not found' });
  });

  // The plugin's names and Docker's default `local` all mean Cairn's volumes.
  const drivers = [dv.names.main, ...dv.names.aliases, 'local'];
  const facts = async (p: Principal, v: Volume): Promise<DockerVolumeFacts> => ({
    name: v.name,
    driver: dv.side(v).driver,
    labels: dv.labelsOf(v),
    inUse: (await dv.mounts.users(p, v)).length > 0,
  });
  const volumeOut = async (p: Principal, v: Volume): Promise<EngineVolume> => ({
    Name: v.name,
    Driver: dv.side(v).driver,
    Mountpoint: await dv.mounts.path(p, v),
    CreatedAt: dockerTime(v.created_at),
    Labels: dv.labelsOf(v),
    Scope: 'local',
    Options: dv.side(v).options,
    Status: { id: v.id, pool: v.pool, type: v.type, size: v.size, used: v.used, state: v.state },
  });
  const pingHeaders = (reply: FastifyReply) =>
    reply
      .header('API-Version', API_VERSION)
      .header('Docker-Experimental', 'false')
      .header('OSType', 'linux')
      .header('Cache-Control', 'no-cache, no-store, must-revalidate')
      .header('Pragma', 'no-cache')
      .type('text/plain; charset=utf-8');

  const routes = async (r: FastifyInstance) => {
    r.get<{ Params: Static<typeof VersionParams> }>(
      '/_ping',
      {
        config: cfg('system.read'),
        schema: { summary: 'Ping (Docker Engine API; HEAD too)', params: VersionParams },
      },
      async (_req, reply) => pingHeaders(reply).send('OK'),
    );
    r.get<{ Params: Static<typeof VersionParams> }>(
      '/version',
      {
        config: cfg('system.read'),
        schema: { summary: 'Version (Docker Engine API)', params: VersionParams },
      },
      async (_req, reply) => {
        const engine = {
          Version: CAIRN_VERSION,
          ApiVersion: API_VERSION,
          MinAPIVersion: MIN_API_VERSION,
          Os: 'linux',
          Arch: arch() === 'x64' ? 'amd64' : arch(),
          KernelVersion: release(),
          GitCommit: '',
          GoVersion: '',
          BuildTime: '',
        };
        void pingHeaders(reply).type('application/json');
        return {
          Platform: { Name: 'Cairn (Docker volume API)' },
          Components: [{ Name: 'Engine', Version: CAIRN_VERSION, Details: engine }],
          ...engine,
        };
      },
    );

    r.get<{ Params: Static<typeof VersionParams>; Querystring: Static<typeof FiltersQuery> }>(
      '/volumes',
      {
        config: cfg('volume.read'),
        schema: { summary: 'List volumes', params: VersionParams, querystring: FiltersQuery },
      },
      async (req) => {
        const f = parseFilters(req.query.filters, ENGINE_FILTERS);
        if ('problem' in f) throw bad(String(f.problem));
        const problem = filterProblem(f);
        if (problem) throw bad(problem);
        const p = req.principal;
        const out: EngineVolume[] = [];
        for (const v of await dv.all(p, labelFilters(f.label)))
          if (matchesFilters(await facts(p, v), f)) out.push(await volumeOut(p, v));
        return { Volumes: out, Warnings: [] };
      },
    );

    r.post<{ Params: Static<typeof VersionParams>; Body: Static<typeof CreateBody> }>(
      '/volumes/create',
      {
        config: cfg('volume.write'),
        schema: {
          summary: 'Create a volume (a repeated create answers the volume)',
          params: VersionParams,
          body: CreateBody,
        },
      },
      async (req, reply) => {
        const b = req.body;
        if (b.Driver && !drivers.includes(b.Driver))
          throw bad(`driver ${b.Driver}: this API serves Cairn's volumes (drivers ${drivers.join(', ')})`);
        const anonymous = !b.Name;
        const plan = dv.plan(b.Name || anonymousName(randomBytes(32)), b.DriverOpts ?? {});
        plan.labels = {
          ...plan.labels,
          ...(b.Labels ?? {}),
          ...(anonymous ? { [ANONYMOUS_LABEL]: '' } : {}),
        };
        const p = req.principal;
        const v = await dv.create(p, plan, {
          ...(b.Driver ? { driver: b.Driver } : {}),
          options: b.DriverOpts ?? {},
        });
        void reply.code(201);
        return volumeOut(p, v);
      },
    );

    r.post<{ Params: Static<typeof VersionParams>; Querystring: Static<typeof FiltersQuery> }>(
      '/volumes/prune',
      {
        config: cfg('volume.write'),
        schema: { summary: 'Remove unused volumes', params: VersionParams, querystring: FiltersQuery },
      },
      async (req) => {
        const f = parseFilters(req.query.filters, PRUNE_FILTERS);
        if ('problem' in f) throw bad(String(f.problem));
        const problem = filterProblem(f);
        if (problem) throw bad(problem);
        const p = req.principal;
        const version = requestedVersion(req.params.version);
        const deleted: string[] = [];
        let reclaimed = 0;
        for (const v of await dv.all(p, labelFilters(f.label))) {
          if (!prunable(await facts(p, v), f, version)) continue;
          await dv.remove(p, v);
          deleted.push(v.name);
          reclaimed += v.used;
        }
        return { VolumesDeleted: deleted, SpaceReclaimed: reclaimed };
      },
    );

    r.get<{ Params: Static<typeof NameParams> }>(
      '/volumes/:name',
      { config: cfg('volume.read'), schema: { summary: 'Inspect a volume', params: NameParams } },
      async (req) => volumeOut(req.principal, await dv.get(req.principal, req.params.name)),
    );

    r.delete<{ Params: Static<typeof NameParams>; Querystring: Static<typeof RemoveQuery> }>(
      '/volumes/:name',
      {
        config: cfg('volume.write'),
        schema: {
          summary: 'Remove a volume (force: a missing one is no error)',
          params: NameParams,
          querystring: RemoveQuery,
        },
      },
      async (req, reply) => {
        const p = req.principal;
        const v = await dv.find(p, req.params.name);
        if (v) await dv.remove(p, v);
        else if (!truthy(req.query.force)) throw new CairnError('VOLUME_NOT_FOUND', { id: req.params.name });
        return reply.code(204).send();
      },
    );
  };
  await app.register(routes);
  await app.register(routes, { prefix: '/:version' });
}
