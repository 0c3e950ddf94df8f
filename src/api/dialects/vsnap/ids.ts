// vSnap ids: numeric strings, the row's seq (stable across restarts, derived from the stored row).
import { CairnError, type ErrorCode } from '../../../domain/errors.js';
import type { Services } from '../../../services/index.js';
import type { ObjectKind } from '../../../domain/ids.js';

export const SEQ_PATTERN = '^[0-9]{1,18}$';
const SEQ_RE = new RegExp(SEQ_PATTERN);

const NOT_FOUND: Partial<Record<ObjectKind, ErrorCode>> = {
  pool: 'POOL_NOT_FOUND',
  volume: 'VOLUME_NOT_FOUND',
  snapshot: 'SNAPSHOT_NOT_FOUND',
  export: 'EXPORT_NOT_FOUND',
  host: 'HOST_NOT_FOUND',
  replication_session: 'SESSION_NOT_FOUND',
};

export interface VsnapIds {
  /** Cairn id → vSnap id (null for null). */
  toVsnap(kind: ObjectKind, id: string | null): Promise<string | null>;
  /** vSnap id → Cairn id, or the kind's NOT_FOUND error. */
  toCairn(kind: ObjectKind, vsnapId: string): Promise<string>;
}

export function vsnapIds(svc: Services): VsnapIds {
  return {
    async toVsnap(kind, id) {
      if (!id) return null;
      const seq = await svc.ids.seqOf(kind, id);
      return seq === undefined ? null : String(seq);
    },
    async toCairn(kind, vsnapId) {
      const id = SEQ_RE.test(vsnapId) ? await svc.ids.idOf(kind, Number(vsnapId)) : undefined;
      if (!id)
        throw new CairnError(NOT_FOUND[kind] ?? 'NOT_FOUND', { id: vsnapId, method: '', url: vsnapId });
      return id;
    },
  };
}
