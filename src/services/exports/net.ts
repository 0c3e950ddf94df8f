// Where this cairnd's export daemons listen, and the address clients are given in URIs. From the
// environment so tests and several instances on one machine pick their own ports.
import { networkInterfaces } from 'node:os';

export interface ExportNet {
  /** The address put into export URIs. */
  advertise: string;
  iscsi: { address: string; port: number };
  nfs: { address: string; port: number; mountPort: number };
  smb: { address: string; port: number };
  nbd: { address: string; basePort: number; lastPort: number };
  /** nbdkit --tls-certificates directory (ca-cert.pem, server-cert.pem, server-key.pem), if any. */
  nbdTlsDir: string | null;
}

const splitHostPort = (s: string, defPort: number) => {
  const m = /^\[?([^\]]*?)\]?(?::(\d{1,5}))?$/.exec(s.trim());
  return { address: m?.[1] || '0.0.0.0', port: m?.[2] ? Number(m[2]) : defPort };
};

function firstAddress(): string {
  for (const list of Object.values(networkInterfaces()))
    for (const a of list ?? []) if (a.family === 'IPv4' && !a.internal) return a.address;
  return '127.0.0.1';
}

export function exportNetFromEnv(env: NodeJS.ProcessEnv): ExportNet {
  const iscsi = splitHostPort(env.CAIRN_ISCSI_PORTAL ?? '0.0.0.0:3260', 3260);
  const nfsPort = Number(env.CAIRN_NFS_PORT ?? 2049);
  const nbdBase = Number(env.CAIRN_NBD_PORT ?? 10809);
  const specific = [iscsi.address, env.CAIRN_NFS_ADDRESS, env.CAIRN_SMB_ADDRESS].find(
    (a) => a && a !== '0.0.0.0',
  );
  return {
    advertise: env.CAIRN_EXPORT_ADDRESS ?? specific ?? firstAddress(),
    iscsi,
    nfs: {
      address: env.CAIRN_NFS_ADDRESS ?? '0.0.0.0',
      port: nfsPort,
      mountPort: Number(env.CAIRN_NFS_MOUNT_PORT ?? (nfsPort === 2049 ? 20048 : nfsPort + 1)),
    },
    smb: { address: env.CAIRN_SMB_ADDRESS ?? '0.0.0.0', port: Number(env.CAIRN_SMB_PORT ?? 445) },
    nbd: {
      address: env.CAIRN_NBD_ADDRESS ?? '0.0.0.0',
      basePort: nbdBase,
      lastPort: Number(env.CAIRN_NBD_LAST_PORT ?? nbdBase + 999),
    },
    nbdTlsDir: env.CAIRN_NBD_TLS_DIR ?? null,
  };
}

export { tcpOpen } from '../../system/probes.js';
