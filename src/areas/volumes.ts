// Wiring of volumes, snapshots and clones (issue 5): its services, job definitions, API plugins, reconciler and stop hook.
import type { AreaContext, AreaPart } from './types.js';
import type { Services } from '../services/index.js';

// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface VolumeServices {}

export async function buildVolumeArea(
  _ctx: AreaContext,
  _sofar: Partial<Services>,
): Promise<AreaPart<VolumeServices>> {
  return { services: {} };
}
