// Object ids: opaque UUID strings on the native API, plus an integer `seq` per row from which the
// dialects derive their own forms (vSnap numeric strings, IML integers, NGX 40-hex, OVS GUIDs).
import { randomUUID } from 'node:crypto';

export const newId = (): string => randomUUID();
export const isId = (s: string): boolean =>
  /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(s);
export const nowIso = (): string => new Date().toISOString();

/** Tables whose rows dialects address by sequence number. */
export const SEQ_TABLES = [
  'pools',
  'disks',
  'volumes',
  'snapshots',
  'exports',
  'hosts',
  'partners',
  'relationships',
  'sessions',
  'replication_sessions',
  'users',
  'jobs',
] as const;
export type SeqTable = (typeof SEQ_TABLES)[number];
