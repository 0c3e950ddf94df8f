// What each btrfs profile keeps and survives, in plain words for the pool form.
export const PROFILES = [
  'single',
  'dup',
  'raid0',
  'raid1',
  'raid1c3',
  'raid1c4',
  'raid10',
  'raid5',
  'raid6',
] as const;
export type Profile = (typeof PROFILES)[number];

export const PROFILE_INFO: Record<Profile, { minDisks: number; survives: string; writeHole?: boolean }> = {
  single: { minDisks: 1, survives: 'No disk failure: one copy of the data; losing any disk loses data.' },
  dup: {
    minDisks: 1,
    survives: 'Bad sectors on its one disk (two copies on the same disk), not the loss of the disk.',
  },
  raid0: {
    minDisks: 2,
    survives: 'No disk failure: data is striped for speed; losing any disk loses the pool.',
  },
  raid1: { minDisks: 2, survives: 'One disk failure: every block is on two different disks.' },
  raid1c3: { minDisks: 3, survives: 'Two disk failures: every block is on three different disks.' },
  raid1c4: { minDisks: 4, survives: 'Three disk failures: every block is on four different disks.' },
  raid10: { minDisks: 4, survives: 'One disk failure (striped mirrors).' },
  raid5: {
    minDisks: 2,
    survives: 'One disk failure, with one disk of parity.',
    writeHole: true,
  },
  raid6: {
    minDisks: 3,
    survives: 'Two disk failures, with two disks of parity.',
    writeHole: true,
  },
};

export const WRITE_HOLE =
  'btrfs raid5/6 has a write hole: a crash or power cut during a write can leave parity that does not match the data, and a later disk failure can then lose data. Keep metadata on raid1 (or raid1c3), keep backups, and scrub after an unclean shutdown.';
