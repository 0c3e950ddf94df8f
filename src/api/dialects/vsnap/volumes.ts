// vSnap volumes, snapshots, shares, hosts, partners, relationships and sessions (seed 001 §8–14).
// Registered once the native areas behind them exist.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { TObject } from '@sinclair/typebox';
import type { Principal } from '../../../domain/permissions.js';
import type { Services } from '../../../services/index.js';

export interface VsnapHelpers {
  cfg: (permission: string) => { permission: string; dialect: string };
  P: (req: FastifyRequest) => Principal;
  IdParam: TObject;
}

export async function volumeRoutes(_app: FastifyInstance, _svc: Services, _h: VsnapHelpers): Promise<void> {}
