// This system as a partner sees it (for partnerships made both ways): the fingerprint of the
// certificate it serves, and API keys made for partners and taken back by the system.
import type { AuthService } from '../../auth/service.js';
import type { SystemService } from '../system.js';
import type { SelfAccess } from './deps.js';
import { systemPrincipal } from '../../domain/permissions.js';

/** Who this module's calls to other services act as (named in the job list and audit trail). */
const ACTING_AS = systemPrincipal('system:replication');

export function selfAccess(
  auth: AuthService,
  system: Pick<SystemService, 'certificate' | 'systemId'>,
): SelfAccess {
  return {
    fingerprint: () => system.certificate?.fingerprint_sha256 ?? null,
    systemId: () => system.systemId(),
    createKey: async (p, name) => {
      const k = await auth.createKey(p, { name });
      return { id: k.id, key: k.key };
    },
    deleteKey: (id) => auth.deleteKey(ACTING_AS, id),
  };
}
