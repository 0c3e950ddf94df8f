// Pure argv builders for btrfs send and receive.

/** `btrfs send [-p parent] <snapshot>`: a full stream, or only the changes since `parent`. */
export const sendArgv = (snapshot: string, parent: string | null) =>
  ['btrfs', 'send', '-q', ...(parent ? ['-p', parent] : []), snapshot] as const;

/** `btrfs receive -e <dir>`: -e ends at the stream's end marker, so a truncated stream is an error. */
export const receiveArgv = (dir: string) => ['btrfs', 'receive', '-e', dir] as const;
