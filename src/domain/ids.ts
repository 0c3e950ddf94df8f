// Object ids: opaque UUID strings on the native API, plus an integer `seq` per row from which the
// dialects derive their own forms (vSnap numeric strings, IML integers, NGX 40-hex, OVS GUIDs).
import { randomUUID } from 'node:crypto';

export const newId = (): string => randomUUID();
export const isId = (s: string): boolean =>
  /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(s);
export const nowIso = (): string => new Date().toISOString();

/**
 * The kinds of object dialects address by sequence number, and the table each lives in (the
 * store's business: services and dialects speak of kinds, never of tables).
 */
export const SEQ_KINDS = {
  pool: 'pools',
  disk: 'disks',
  volume: 'volumes',
  snapshot: 'snapshots',
  export: 'exports',
  host: 'hosts',
  partner: 'partners',
  relationship: 'relationships',
  login_session: 'sessions',
  replication_session: 'replication_sessions',
  user: 'users',
  job: 'jobs',
} as const;
export type ObjectKind = keyof typeof SEQ_KINDS;
export const OBJECT_KINDS = Object.keys(SEQ_KINDS) as ObjectKind[];
