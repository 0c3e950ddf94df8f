// Pure parsers of the `--version` output of the storage parts Cairn drives.

const PATTERNS: Record<string, RegExp> = {
  'btrfs-progs': /btrfs-progs v(\S+)/,
  tgt: /^\s*(\d+\.\d+\.\d+\S*)/m,
  'nfs-ganesha': /Release = V?(\S+)/,
  samba: /Version (\S+)/,
  nbdkit: /nbdkit (\S+)/,
};

/** The version number in a tool's --version output, or null when it is not recognised. */
export function parseVersion(part: string, output: string): string | null {
  const re = PATTERNS[part];
  const m = re ? re.exec(output) : null;
  return m ? m[1]! : null;
}
