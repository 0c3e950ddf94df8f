// What the vSnap route modules share from routes.ts (their own module, so the route modules do not import each other for it).
import type { FastifyRequest } from 'fastify';
import type { TObject } from '@sinclair/typebox';
import type { Principal } from '../../../domain/permissions.js';

export interface VsnapHelpers {
  cfg: (permission: string) => { permission: string; dialect: string };
  P: (req: FastifyRequest) => Principal;
  IdParam: TObject;
}
