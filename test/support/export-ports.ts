// Free loopback ports for the export daemons a test Cairn runs (iSCSI, NFS and its mount protocol,
// SMB, NBD), so tests running side by side never take a well-known port or each other's.
import { freePort } from './cairn.js';

export interface ExportPorts {
  iscsi: number;
  nfs: number;
  nfsMount: number;
  smb: number;
  nbd: number;
}

/** One free loopback port for each export daemon. */
export async function freeExportPortNumbers(): Promise<ExportPorts> {
  return {
    iscsi: await freePort(),
    nfs: await freePort(),
    nfsMount: await freePort(),
    smb: await freePort(),
    nbd: await freePort(),
  };
}

/**
 * The CAIRN_* settings that put every export daemon on the loopback at `ports` (free ones when not
 * given): for `startCairn`/`startCairnProcess`'s `env`, or process.env before Cairn starts.
 */
export async function exportPortEnv(ports?: ExportPorts): Promise<Record<string, string>> {
  const p = ports ?? (await freeExportPortNumbers());
  return {
    CAIRN_ISCSI_PORTAL: `127.0.0.1:${p.iscsi}`,
    CAIRN_NFS_PORT: String(p.nfs),
    CAIRN_NFS_MOUNT_PORT: String(p.nfsMount),
    CAIRN_NFS_ADDRESS: '127.0.0.1',
    CAIRN_SMB_PORT: String(p.smb),
    CAIRN_SMB_ADDRESS: '127.0.0.1',
    CAIRN_NBD_PORT: String(p.nbd),
    CAIRN_NBD_ADDRESS: '127.0.0.1',
    CAIRN_EXPORT_ADDRESS: '127.0.0.1',
  };
}
