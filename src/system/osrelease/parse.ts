// Parses /etc/os-release (os-release(5)): KEY=value lines, values optionally quoted with shell
// escapes. Pure; reading the file is index.ts's job.

export interface OsRelease {
  /** NAME, e.g. "Debian GNU/Linux" */
  name: string;
  /** VERSION_ID, e.g. "12"; empty for rolling distributions that have none */
  version: string;
  /** PRETTY_NAME, e.g. "Debian GNU/Linux 12 (bookworm)" */
  prettyName: string;
  id: string;
}

export function parseOsRelease(text: string): OsRelease {
  const v: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const m = /^([A-Z0-9_]+)=(.*)$/.exec(line.trim());
    if (!m) continue;
    let value = m[2]!;
    const q = value[0];
    if ((q === '"' || q === "'") && value.endsWith(q) && value.length >= 2)
      value = value.slice(1, -1).replace(/\\(["'$`\\])/g, '$1');
    v[m[1]!] = value;
  }
  const name = v.NAME ?? 'Linux';
  return {
    name,
    version: v.VERSION_ID ?? '',
    prettyName: v.PRETTY_NAME ?? name,
    id: v.ID ?? 'linux',
  };
}
