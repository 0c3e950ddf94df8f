// The admin view of supervised daemons: list, start, stop, restart (for /api/v1/services).
import { CairnError } from '../../domain/errors.js';
import type { DaemonStatus, Supervisor } from './supervisor.js';

/** The daemons every cairnd can run, listed even while stopped. */
export const KNOWN_DAEMONS = ['tgtd', 'ganesha', 'rpcbind', 'smbd'] as const;

export class DaemonControl {
  constructor(private readonly sup: Supervisor) {}

  list(): DaemonStatus[] {
    return this.sup.list();
  }
  get(name: string): DaemonStatus {
    if (!this.sup.has(name)) throw new CairnError('SERVICE_NOT_FOUND', { name });
    return this.sup.status(name);
  }
  async start(name: string): Promise<DaemonStatus> {
    this.get(name);
    await this.sup.ensure(name);
    return this.sup.status(name);
  }
  async stop(name: string): Promise<DaemonStatus> {
    this.get(name);
    await this.sup.stop(name);
    return this.sup.status(name);
  }
  async restart(name: string): Promise<DaemonStatus> {
    this.get(name);
    await this.sup.restart(name);
    return this.sup.status(name);
  }
}
