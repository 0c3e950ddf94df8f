// Network interfaces and which services each one carries (management, NFS, SMB, iSCSI). The
// assignment is stored; export daemons read it when choosing addresses to listen on.
import { networkInterfaces } from 'node:os';
import { CairnError } from '../domain/errors.js';
import type { SettingsStore } from '../store/settings.js';

export const NET_SERVICES = ['mgmt', 'nfs', 'smb', 'iscsi', 'nbd'] as const;
export type NetService = (typeof NET_SERVICES)[number];

export interface NetworkInterface {
  id: string;
  name: string;
  hw_addr: string;
  ip4_addrs: string[];
  ip6_addrs: string[];
  services: NetService[];
}

export class NetworkService {
  constructor(private readonly settings: SettingsStore) {}

  async list(): Promise<NetworkInterface[]> {
    const assigned = await this.settings.get<Record<string, NetService[]>>('network.services', {});
    return Object.entries(networkInterfaces()).map(([name, addrs]) => {
      const mac = (addrs?.find((a) => a.mac)?.mac ?? '').replace(/:/g, '');
      // The loopback's all-zero address is still its address; it just does not name it.
      const id = /^0*$/.test(mac) ? name : mac;
      return {
        id,
        name,
        hw_addr: mac,
        ip4_addrs: (addrs ?? []).filter((a) => a.family === 'IPv4').map((a) => a.address),
        ip6_addrs: (addrs ?? []).filter((a) => a.family === 'IPv6').map((a) => a.address),
        services: assigned[id] ?? [...NET_SERVICES],
      };
    });
  }

  async get(id: string): Promise<NetworkInterface> {
    const nic = (await this.list()).find((n) => n.id === id);
    if (!nic) throw new CairnError('NETWORK_NOT_FOUND', { id });
    return nic;
  }

  /** `services` as the client sent them: names it does not know are refused here, each with its code. */
  async setServices(id: string, services: readonly string[]): Promise<NetworkInterface> {
    await this.get(id);
    const bad = services.filter((s) => s !== 'all' && !(NET_SERVICES as readonly string[]).includes(s));
    CairnError.assertNoProblems(
      bad.map((b) => ({
        field: 'services',
        code: 'UNKNOWN_SERVICE',
        message: `${b} is not one of all, ${NET_SERVICES.join(', ')}`,
      })),
    );
    const assigned = await this.settings.get<Record<string, NetService[]>>('network.services', {});
    assigned[id] = services.includes('all') ? [...NET_SERVICES] : [...new Set(services as NetService[])];
    await this.settings.set('network.services', assigned);
    return this.get(id);
  }
}
