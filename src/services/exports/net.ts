// Where this cairnd's export daemons listen, and the address clients are given in URIs. Read from
// the environment by src/daemon/config.ts, so tests and several instances on one machine pick their
// own ports.

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

export { tcpOpen } from '../../system/probes.js';
