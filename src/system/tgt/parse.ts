// Pure parsers of `tgtadm --op show` output (tgt 1.0.85).

export interface TgtTarget {
  tid: number;
  iqn: string;
  /** Open I_T nexuses (client sessions). */
  sessions: number;
  /** Connections over all sessions (MC/S gives a session several). */
  connections: number;
  /** Distinct initiator names and client IP addresses of the open sessions. */
  initiators: string[];
  addresses: string[];
  luns: number[];
  /** Every bound account (incoming and outgoing). */
  accounts: string[];
  /** The accounts bound as outgoing (mutual CHAP). */
  outgoing: string[];
  acl: string[];
}

/** Parses `--op show --mode target`. */
export function parseTargets(text: string): TgtTarget[] {
  const out: TgtTarget[] = [];
  let cur: TgtTarget | null = null;
  let section = '';
  for (const line of text.split('\n')) {
    const t = /^Target (\d+): (\S+)/.exec(line);
    if (t) {
      cur = {
        tid: Number(t[1]),
        iqn: t[2]!,
        sessions: 0,
        connections: 0,
        initiators: [],
        addresses: [],
        luns: [],
        accounts: [],
        outgoing: [],
        acl: [],
      };
      out.push(cur);
      section = '';
      continue;
    }
    if (!cur) continue;
    const trimmed = line.trim();
    const indent = line.length - line.trimStart().length;
    if (indent === 4 && trimmed.endsWith(':')) {
      section = trimmed.slice(0, -1);
      continue;
    }
    if (section === 'I_T nexus information') {
      const ini = /^Initiator: (\S+)/.exec(trimmed);
      const ip = /^IP Address: (\S+)/.exec(trimmed);
      if (/^I_T nexus: \d+/.test(trimmed)) cur.sessions++;
      else if (/^Connection: \d+/.test(trimmed)) cur.connections++;
      else if (ini && !cur.initiators.includes(ini[1]!)) cur.initiators.push(ini[1]!);
      else if (ip && !cur.addresses.includes(ip[1]!)) cur.addresses.push(ip[1]!);
    } else if (section === 'LUN information' && /^LUN: \d+/.test(trimmed))
      cur.luns.push(Number(trimmed.slice(5)));
    else if (section === 'Account information' && trimmed) {
      const name = trimmed.replace(/ \(outgoing\)$/, '');
      cur.accounts.push(name);
      if (name !== trimmed) cur.outgoing.push(name);
    } else if (section === 'ACL information' && trimmed) cur.acl.push(trimmed);
  }
  return out;
}

/** Parses `--op show --mode account` (one user per line after the header). */
export function parseAccounts(text: string): string[] {
  return text
    .split('\n')
    .slice(1)
    .map((l) => l.trim())
    .filter(Boolean);
}
