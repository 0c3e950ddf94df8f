// Route modules written as plain functions of an app (the dialects) see it through Fastify's
// TypeBox type provider, so a handler's body, query and params are typed from the route's schema.
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';

export const typed = (app: FastifyInstance) => app.withTypeProvider<TypeBoxTypeProvider>();

/** An app whose routes are typed from their TypeBox schemas. */
export type TypedApp = ReturnType<typeof typed>;
