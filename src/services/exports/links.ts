// How hosts, exports and native iSCSI targets keep each other right: the HostService asks which
// exports map a host, tells them when its CHAP secret changed, and removes them on a cascading host
// delete; Cairn users' SMB passwords follow user changes.
import { systemPrincipal } from '../../domain/permissions.js';
import type { JobEngine } from '../../jobs/engine.js';
import type { HostHooks } from '../hosts/service.js';
import type { TargetService } from '../targets/service.js';
import type { ExportProtocols } from './protocols/index.js';
import type { ExportService } from './service.js';
import type { Logger } from 'pino';

/** How long a cascading host delete waits for each export's delete job. */
const EXPORT_DELETE_WAIT_MS = 120_000;

export function hostHooks(d: {
  exports: ExportService;
  targets: TargetService;
  protocols: ExportProtocols;
  engine: JobEngine;
}): HostHooks {
  return {
    mappedBy: async (id) => [...(await d.exports.mappedBy(id)), ...(await d.targets.mappedBy(id))],
    changed: async (id) => {
      // A new CHAP secret re-creates the host's tgt accounts once, then every target binds them again.
      await d.protocols.iscsi.refreshHost(id);
      await d.exports.hostChanged(id);
      await d.targets.hostChanged(id);
    },
    admitsAddresses: (id, addresses) => d.exports.admitsHostAddresses(id, addresses),
    removeExports: async (ids, hostId) => {
      const actor = { name: 'system:host-delete' };
      const natives = new Set(await d.targets.mappedBy(hostId));
      for (const id of ids.filter((x) => !natives.has(x))) {
        const job = await d.exports.delete(systemPrincipal(), id, true, actor);
        await d.engine.wait(job.id, EXPORT_DELETE_WAIT_MS);
      }
      await d.targets.dropHost(hostId, actor);
    },
  };
}

/**
 * Cairn users reach SMB shares with their own passwords: the users service hands Samba the hash.
 * A Samba failure does not undo the user change: the hash is kept, and smbd's next start imports it.
 */
export const smbUserListener =
  (protocols: ExportProtocols, logger: Logger) =>
  (userId: string, ntHash: string | null | undefined): Promise<void> =>
    protocols.smb
      .cairnUserChanged(userId, ntHash)
      .catch((err: unknown) => logger.error({ err, userId }, 'could not update Samba for a user'));
