// Pure parsers of util-linux losetup 2.38 output.

export interface LoopInfo {
  device: string;
  backingFile: string;
  /** Set when someone detached the device while it was busy: it goes away when released. */
  autoclear: boolean;
  /** The backing file was deleted while attached. */
  deleted: boolean;
}

/** `losetup -l -n --raw -O NAME,AUTOCLEAR,BACK-FILE` (the file is last: it may contain spaces). */
export function parseLoopList(text: string): LoopInfo[] {
  const out: LoopInfo[] = [];
  for (const line of text.split('\n')) {
    const m = /^(\/dev\/loop\d+)\s+([01])\s+(.*)$/.exec(line.trim());
    if (!m) continue;
    let file = m[3]!.replace(/\\x20/g, ' ');
    const deleted = / \(deleted\)$/.test(file);
    if (deleted) file = file.replace(/ \(deleted\)$/, '');
    out.push({ device: m[1]!, backingFile: file, autoclear: m[2] === '1', deleted });
  }
  return out;
}
