// Pure parsers of `wipefs --no-act --json <device>` (util-linux 2.38): the signatures on a device
// (filesystems, partition tables, RAID/LVM members), read by libblkid itself, so they are found
// even where lsblk's FSTYPE/PTTYPE are empty (no udev, as in containers).
import type { SignatureProbe } from '../../domain/disks.js';

export const wipefsProbeArgv = (device: string): [string, ...string[]] => [
  'wipefs',
  '--no-act',
  '--json',
  device,
];

/** The signature types wipefs found ([] for a blank device, which prints an empty list or nothing). */
export function parseWipefsJson(text: string): string[] {
  if (!text.trim()) return [];
  const j = JSON.parse(text) as { signatures?: { type?: string | null }[] };
  return [...new Set((j.signatures ?? []).map((s) => s.type?.trim()).filter((t): t is string => !!t))];
}

/** Why wipefs could not read a device, from its stderr: "wipefs: error: /dev/vda: probing … failed: Operation not permitted". */
export function wipefsFailure(stderr: string, exitCode: number): SignatureProbe {
  const line = stderr.split('\n').find((l) => l.trim()) ?? '';
  const why = line
    .replace(/^wipefs:\s*(error:\s*)?/, '')
    .replace(/^\S+:\s*/, '')
    .trim();
  return { error: why || `wipefs exited with ${exitCode}` };
}
