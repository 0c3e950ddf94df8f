// NGX auth groups (seed 002 "Auth Group"): Cairn hosts. A group's initiators are the host's IQNs,
// its CHAP the host's CHAP; group "1" is NGX's DefaultAuthGroup, which a target with no hosts of
// its own reports (Cairn lets no initiator into such a target).
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { CairnError } from '../../../../domain/errors.js';
import type { Host } from '../../../../domain/exports.js';
import { all, cfg, idOf, Owner, param, typed, type Ngx } from '../helpers.js';
import { DEFAULT_AUTH_GROUP, hostName, ngxId } from '../map.js';

const GroupName = Type.String({ minLength: 1, maxLength: 64 });
const GroupParam = Type.Object(
  { id: Type.String({ minLength: 1, maxLength: 40, pattern: '^[0-9a-fA-F]+$' }) },
  { additionalProperties: false },
);

export async function authGroupRoutes(app: FastifyInstance, ngx: Ngx): Promise<void> {
  const t = typed(app);
  const { svc } = ngx;
  const hosts = () => all((q) => svc.hosts.list(q));
  const host = (id: string) => svc.hosts.get(idOf('host', id));

  const summary = async (h: Host) => ({
    ...(h.chap ? { chap: { password: '', username: h.chap.user } } : {}),
    group_id: ngxId('host', h.id),
    group_name: h.name,
    owner: await ngx.owner(),
  });
  const detail = async (h: Host) => ({
    chap: h.chap ? { password: '', username: h.chap.user } : { password: '', username: '' },
    chap_status: h.chap ? 1 : 0,
    group_id: ngxId('host', h.id),
    group_name: h.name,
    initiator: h.initiators.map((i) => ({
      id: ngxId('iqn', i.id),
      iqn: i.iqn,
      iqn_alias: i.iqn.split(':').pop() ?? i.iqn,
    })),
    owner: await ngx.owner(),
  });

  t.post(
    '/auth_group',
    {
      config: cfg('host.write'),
      schema: {
        summary: 'Create an auth group (a host)',
        body: Type.Object({ name: GroupName, owner: Owner }, { additionalProperties: false }),
      },
    },
    async (req) => {
      const h = await svc.hosts.create({ name: hostName(req.body.name) });
      return { id: ngxId('host', h.id), success: true };
    },
  );
  t.get('/auth_group', { config: cfg('host.read'), schema: { summary: 'List auth groups' } }, async () => [
    DEFAULT_AUTH_GROUP,
    ...(await Promise.all((await hosts()).map(summary))),
  ]);
  t.get(
    '/auth_group/list',
    { config: cfg('host.read'), schema: { summary: 'Auth group detail list' } },
    async () => [DEFAULT_AUTH_GROUP, ...(await Promise.all((await hosts()).map(detail)))],
  );
  t.get(
    '/auth_group/:id',
    { config: cfg('host.read'), schema: { summary: 'Auth group detail', params: GroupParam } },
    async (req) => {
      if (req.params.id === DEFAULT_AUTH_GROUP.group_id)
        return {
          ...DEFAULT_AUTH_GROUP,
          chap: { password: '', username: '' },
          chap_status: 0,
          initiator: [],
          owner: await ngx.owner(),
        };
      return detail(await host(req.params.id));
    },
  );
  t.patch(
    '/auth_group/:id',
    {
      config: cfg('host.write'),
      schema: {
        summary: 'Rename an auth group',
        params: GroupParam,
        body: Type.Object({ name: GroupName, owner: Owner }, { additionalProperties: false }),
      },
    },
    async (req) => {
      const h = await host(req.params.id);
      await svc.hosts.update(h.id, { name: hostName(req.body.name) });
      return { success: true };
    },
  );
  t.delete(
    '/auth_group/:id',
    { config: cfg('host.write'), schema: { summary: 'Delete an auth group', params: GroupParam } },
    async (req) => {
      const h = await host(req.params.id);
      await svc.hosts.delete(h.id, false);
      return { success: true };
    },
  );

  // ---- CHAP
  const HostParam = param('id');
  t.patch(
    '/auth_group/chap/:id',
    {
      config: cfg('host.write'),
      schema: {
        summary: 'Set the CHAP user and secret of an auth group',
        params: HostParam,
        body: Type.Object(
          {
            username: Type.String({ minLength: 1, maxLength: 64 }),
            password: Type.String({ minLength: 1, maxLength: 256 }),
            owner: Owner,
          },
          { additionalProperties: false },
        ),
      },
    },
    async (req) => {
      const h = await host(req.params.id);
      await svc.hosts.update(h.id, { chap: { user: req.body.username, secret: req.body.password } });
      return { success: true };
    },
  );
  t.delete(
    '/auth_group/chap/:id',
    { config: cfg('host.write'), schema: { summary: 'Remove CHAP from an auth group', params: HostParam } },
    async (req) => {
      const h = await host(req.params.id);
      await svc.hosts.update(h.id, { chap: null });
      return { success: true };
    },
  );

  // ---- initiators
  t.patch(
    '/auth_group/iqn/:id',
    {
      config: cfg('host.write'),
      schema: {
        summary: 'Add an initiator to an auth group',
        params: HostParam,
        body: Type.Object(
          {
            iqn: Type.String({ minLength: 1, maxLength: 223 }),
            iqn_alias: Type.String({ maxLength: 64 }),
            owner: Owner,
          },
          { additionalProperties: false },
        ),
      },
    },
    async (req) => {
      const h = await host(req.params.id);
      if (h.iqns.includes(req.body.iqn))
        throw new CairnError('HOST_IQN_TAKEN', { iqn: req.body.iqn, host: h.name });
      const now = await svc.hosts.update(h.id, { iqns: [...h.iqns, req.body.iqn] });
      const made = now.initiators.find((i) => i.iqn === req.body.iqn)!;
      return { id: ngxId('iqn', made.id), success: true };
    },
  );
  t.delete(
    '/auth_group/iqn/:iqn_id',
    { config: cfg('host.write'), schema: { summary: 'Remove an initiator', params: param('iqn_id') } },
    async (req) => {
      const i = await svc.hosts.initiator(idOf('iqn', req.params.iqn_id));
      const h = await svc.hosts.get(i.host_id);
      await svc.hosts.update(h.id, { iqns: h.iqns.filter((x) => x !== i.iqn) });
      return {};
    },
  );
}
