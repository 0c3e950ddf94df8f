// Pure argv builder for one nbdkit (1.32) serving one lun file in the foreground. nbdkit sets
// PR_SET_PDEATHSIG, so a foreground child dies with cairnd; the supervisor starts it again on the
// next start (reconcile). The exportname filter makes the name strict (the file plugin ignores it).
// The file plugin uses the page cache like tgt's rdwr store: clients' FLUSH and FUA still reach
// fdatasync. `cache=none` (nbdkit 1.32) instead waits for write-back after every write window and
// drops every page after reading it, which cut sequential writes and reads to a fraction.

export interface NbdkitSpec {
  address: string;
  port: number;
  name: string;
  file: string;
  readOnly: boolean;
  /** Addresses or networks allowed to connect; empty means everyone. */
  allowed: string[];
  /** Directory with ca-cert.pem, server-cert.pem, server-key.pem; null for no TLS. */
  tlsDir: string | null;
}

export function nbdkitArgv(s: NbdkitSpec): [string, ...string[]] {
  return [
    'nbdkit',
    '-f',
    '--exit-with-parent',
    '-i',
    s.address,
    '-p',
    String(s.port),
    '-e',
    s.name,
    ...(s.readOnly ? ['-r'] : []),
    ...(s.tlsDir ? ['--tls=require', `--tls-certificates=${s.tlsDir}`] : []),
    ...(s.allowed.length ? ['--filter=ip'] : []),
    '--filter=exportname',
    'file',
    `file=${s.file}`,
    `exportname=${s.name}`,
    'exportname-strict=true',
    ...(s.allowed.length ? [`allow=${s.allowed.join(',')}`, 'deny=all'] : []),
  ];
}
