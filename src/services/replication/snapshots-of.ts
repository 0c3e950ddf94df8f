// Reads a volume's snapshots newest first through the snapshot store's list (paged in SQL).
import type { ListParams } from '../../domain/list.js';
import type { SnapshotRecord, SnapshotStore } from '../../store/snapshots.js';

export async function snapshotsOf(
  store: SnapshotStore,
  volumeId: string,
  o: { nameContains?: string; limit?: number } = {},
): Promise<SnapshotRecord[]> {
  const params: ListParams = {
    limit: o.limit ?? 1000,
    offset: 0,
    cursor: null,
    sort: [{ field: 'created_at', column: 'created_at', desc: true }],
    filters: o.nameContains ? [{ field: 'name', column: 'name', op: 'contains', value: o.nameContains }] : [],
  };
  return (await store.list(params, { pools: null, volumeId }, (s) => s)).items;
}
