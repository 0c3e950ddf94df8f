// /auth/login|logout|whoami (browser sessions with a CSRF token), /users, /roles, /api-keys.
import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Services } from '../../../services/index.js';
import { IdParams, Page, errorResponses, listQuery, parseList } from '../common.js';
import { KEY_LIST, ROLE_LIST, USER_LIST } from '../../../domain/list-specs.js';
import {
  ApiKey,
  ApiKeyCreate,
  ApiKeyUpdate,
  Role,
  RoleCreate,
  RoleUpdate,
  User,
  UserCreate,
  UserUpdate,
} from '../../../domain/auth.js';
import { SESSION_COOKIE } from '../../cookies.js';

export const authRoutes: FastifyPluginAsyncTypebox<{ svc: Services }> = async (app, { svc }) => {
  app.addSchema(User);
  app.addSchema(Role);
  app.addSchema(ApiKey);

  app.post(
    '/auth/login',
    {
      config: { public: true },
      schema: {
        summary:
          'start a browser session: sets the session cookie; send csrf_token as X-CSRF-Token on changes',
        body: Type.Object(
          { username: Type.String({ maxLength: 64 }), password: Type.String({ maxLength: 256 }) },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({ csrf_token: Type.String(), expires_at: Type.String(), user: Type.Ref('User') }),
          ...errorResponses,
        },
      },
    },
    async (req, reply) => {
      const b = req.body;
      const s = await svc.auth.login(b.username, b.password, req.ip);
      req.caller = {
        kind: 'session',
        userId: s.user.id,
        userName: s.user.name,
        role: s.user.role,
        permissions: [],
        pools: null,
      };
      reply.setCookie(SESSION_COOKIE, s.token, {
        path: '/',
        httpOnly: true,
        secure: true,
        sameSite: 'strict',
        expires: new Date(s.expires_at),
      });
      return { csrf_token: s.csrf_token, expires_at: s.expires_at, user: s.user };
    },
  );
  app.post(
    '/auth/logout',
    {
      config: { permission: 'system.read' },
      schema: { summary: 'end this browser session', response: { 204: Type.Null(), ...errorResponses } },
    },
    async (req, reply) => {
      await svc.auth.logout(req.principal);
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      reply.code(204);
      return null;
    },
  );
  app.get(
    '/auth/whoami',
    {
      config: { permission: 'system.read' },
      schema: {
        summary: 'who the credentials belong to, and what they may do',
        response: {
          200: Type.Object({
            kind: Type.String(),
            user_id: Type.String(),
            user: Type.String(),
            role: Type.String(),
            permissions: Type.Array(Type.String()),
            pools: Type.Union([Type.Array(Type.String()), Type.Null()]),
          }),
          ...errorResponses,
        },
      },
    },
    async (req) => {
      const p = req.principal;
      return {
        kind: p.kind,
        user_id: p.userId,
        user: p.userName,
        role: p.role,
        permissions: p.permissions,
        pools: p.pools,
      };
    },
  );

  // ---- users
  app.get(
    '/users',
    {
      config: { permission: 'user.read' },
      schema: {
        summary: 'list users',
        querystring: listQuery(USER_LIST),
        response: { 200: Page(Type.Ref('User')), ...errorResponses },
      },
    },
    async (req) => svc.auth.listUsers(parseList(USER_LIST, req.query)),
  );
  app.post(
    '/users',
    {
      config: { permission: 'user.write' },
      schema: {
        summary: 'create a user',
        body: UserCreate,
        response: { 201: Type.Ref('User'), ...errorResponses },
      },
    },
    async (req, reply) => {
      reply.code(201);
      return svc.auth.createUser(req.body);
    },
  );
  app.get(
    '/users/:id',
    {
      config: { permission: 'user.read' },
      schema: { params: IdParams, response: { 200: Type.Ref('User'), ...errorResponses } },
    },
    async (req) => svc.auth.getUser(req.params.id),
  );
  app.patch(
    '/users/:id',
    {
      config: { permission: 'user.write' },
      schema: {
        summary: 'change role, password or state',
        params: IdParams,
        body: UserUpdate,
        response: { 200: Type.Ref('User'), ...errorResponses },
      },
    },
    async (req) => svc.auth.updateUser(req.params.id, req.body),
  );
  app.delete(
    '/users/:id',
    {
      config: { permission: 'user.write' },
      schema: { params: IdParams, response: { 204: Type.Null(), ...errorResponses } },
    },
    async (req, reply) => {
      await svc.auth.deleteUser(req.params.id);
      reply.code(204);
      return null;
    },
  );

  // ---- roles
  app.get(
    '/roles',
    {
      config: { permission: 'role.read' },
      schema: {
        summary: 'list roles',
        querystring: listQuery(ROLE_LIST),
        response: { 200: Page(Type.Ref('Role')), ...errorResponses },
      },
    },
    async (req) => svc.auth.listRoles(parseList(ROLE_LIST, req.query)),
  );
  app.post(
    '/roles',
    {
      config: { permission: 'role.write' },
      schema: {
        summary: 'create a custom role',
        body: RoleCreate,
        response: { 201: Type.Ref('Role'), ...errorResponses },
      },
    },
    async (req, reply) => {
      reply.code(201);
      return svc.auth.createRole(req.body);
    },
  );
  app.get(
    '/roles/:id',
    {
      config: { permission: 'role.read' },
      schema: { params: IdParams, response: { 200: Type.Ref('Role'), ...errorResponses } },
    },
    async (req) => svc.auth.getRole(req.params.id),
  );
  app.patch(
    '/roles/:id',
    {
      config: { permission: 'role.write' },
      schema: { params: IdParams, body: RoleUpdate, response: { 200: Type.Ref('Role'), ...errorResponses } },
    },
    async (req) => svc.auth.updateRole(req.params.id, req.body),
  );
  app.delete(
    '/roles/:id',
    {
      config: { permission: 'role.write' },
      schema: { params: IdParams, response: { 204: Type.Null(), ...errorResponses } },
    },
    async (req, reply) => {
      await svc.auth.deleteRole(req.params.id);
      reply.code(204);
      return null;
    },
  );

  // ---- API keys (a user manages their own; user.write manages everyone's)
  app.get(
    '/api-keys',
    {
      config: { permission: 'apikey.read' },
      schema: {
        summary: 'list API keys (never their secrets)',
        querystring: listQuery(KEY_LIST),
        response: { 200: Page(Type.Ref('ApiKey')), ...errorResponses },
      },
    },
    async (req) => svc.auth.listKeys(req.principal, parseList(KEY_LIST, req.query)),
  );
  app.post(
    '/api-keys',
    {
      config: { permission: 'apikey.write' },
      schema: {
        summary: 'create an API key; its secret `key` is shown only in this answer',
        body: ApiKeyCreate,
        response: {
          201: Type.Intersect([
            Type.Ref('ApiKey'),
            Type.Object({ key: Type.String({ description: 'Authorization: Bearer <key>' }) }),
          ]),
          ...errorResponses,
        },
      },
    },
    async (req, reply) => {
      reply.code(201);
      return svc.auth.createKey(req.principal, req.body);
    },
  );
  app.patch(
    '/api-keys/:id',
    {
      config: { permission: 'apikey.write' },
      schema: {
        summary: 'rename an API key, or disable and enable it (expiry, scope and permissions stay)',
        params: IdParams,
        body: ApiKeyUpdate,
        response: { 200: Type.Ref('ApiKey'), ...errorResponses },
      },
    },
    async (req) => svc.auth.updateKey(req.principal, req.params.id, req.body),
  );
  app.delete(
    '/api-keys/:id',
    {
      config: { permission: 'apikey.write' },
      schema: { params: IdParams, response: { 204: Type.Null(), ...errorResponses } },
    },
    async (req, reply) => {
      await svc.auth.deleteKey(req.principal, req.params.id);
      reply.code(204);
      return null;
    },
  );
};
