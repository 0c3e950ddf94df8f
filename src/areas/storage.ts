// Wiring of disks and pools (issue 4): its services, job definitions, API plugins, reconciler and stop hook.
import type { AreaContext, AreaPart } from './types.js';
import type { Services } from '../services/index.js';

// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface StorageServices {}

export async function buildStorageArea(
  _ctx: AreaContext,
  _sofar: Partial<Services>,
): Promise<AreaPart<StorageServices>> {
  return { services: {} };
}
