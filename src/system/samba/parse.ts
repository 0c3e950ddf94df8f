// Pure parser of `smbstatus --json` (Samba 4.17): tree connects per share, the client machines
// behind them, and open files by the share path they were opened under.

export interface SmbShareUse {
  /** Tree connects to the share (one per client session using it). */
  connections: number;
  /** Distinct client machines (addresses) connected to it. */
  machines: string[];
}

export interface SmbStatus {
  /** By share (service) name, as in smb.conf. */
  shares: Map<string, SmbShareUse>;
  /** Opens by share path (`service_path`): smbstatus names open files by path, not by share. */
  opensByPath: Map<string, number>;
  sessions: number;
}

const obj = (v: unknown): Record<string, unknown> =>
  v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};

export function parseSmbStatusJson(text: string): SmbStatus {
  const j = obj(JSON.parse(text) as unknown);
  const shares = new Map<string, SmbShareUse>();
  for (const t of Object.values(obj(j.tcons))) {
    const tc = obj(t);
    if (typeof tc.service !== 'string') continue;
    const use = shares.get(tc.service) ?? { connections: 0, machines: [] };
    use.connections++;
    if (typeof tc.machine === 'string' && !use.machines.includes(tc.machine)) use.machines.push(tc.machine);
    shares.set(tc.service, use);
  }
  const opensByPath = new Map<string, number>();
  for (const f of Object.values(obj(j.open_files))) {
    const file = obj(f);
    if (typeof file.service_path !== 'string') continue;
    const n = Object.keys(obj(file.opens)).length;
    opensByPath.set(file.service_path, (opensByPath.get(file.service_path) ?? 0) + n);
  }
  return { shares, opensByPath, sessions: Object.keys(obj(j.sessions)).length };
}
