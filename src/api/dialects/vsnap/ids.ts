// vSnap ids: numeric strings, the row's seq (stable across restarts, derived from the stored row).
import { CairnError, type ErrorCode } from '../../../domain/errors.js';
import type { Services } from '../../../services/index.js';
import type { SeqTable } from '../../../domain/ids.js';

export const SEQ_PATTERN = '^[0-9]{1,18}$';
const SEQ_RE = new RegExp(SEQ_PATTERN);

const NOT_FOUND: Partial<Record<SeqTable, ErrorCode>> = {
  pools: 'POOL_NOT_FOUND',
  volumes: 'VOLUME_NOT_FOUND',
  snapshots: 'SNAPSHOT_NOT_FOUND',
  exports: 'EXPORT_NOT_FOUND',
  hosts: 'HOST_NOT_FOUND',
  replication_sessions: 'SESSION_NOT_FOUND',
};

export interface VsnapIds {
  /** Cairn id → vSnap id (null for null). */
  toVsnap(table: SeqTable, id: string | null): Promise<string | null>;
  /** vSnap id → Cairn id, or the table's NOT_FOUND error. */
  toCairn(table: SeqTable, vsnapId: string): Promise<string>;
}

export function vsnapIds(svc: Services): VsnapIds {
  return {
    async toVsnap(table, id) {
      if (!id) return null;
      const seq = await svc.ids.seqOf(table, id);
      return seq === undefined ? null : String(seq);
    },
    async toCairn(table, vsnapId) {
      const id = SEQ_RE.test(vsnapId) ? await svc.ids.idOf(table, Number(vsnapId)) : undefined;
      if (!id)
        throw new CairnError(NOT_FOUND[table] ?? 'NOT_FOUND', { id: vsnapId, method: '', url: vsnapId });
      return id;
    },
  };
}
