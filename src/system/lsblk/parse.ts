// Pure parser of `lsblk --json -b -o NAME,PATH,SIZE,TYPE,MODEL,VENDOR,SERIAL,WWN,ROTA,FSTYPE,PTTYPE,MOUNTPOINT,
// MOUNTPOINTS,PKNAME,RO` (util-linux 2.38). Whether a disk is free is decided in src/domain/disks.ts.

export interface BlockDevice {
  name: string;
  path: string;
  sizeBytes: number;
  type: string;
  model: string | null;
  /** The device's vendor (SCSI/ATA vendor, or a virtio disk's PCI vendor id); none for loop devices. */
  vendor: string | null;
  serial: string | null;
  wwn: string | null;
  rotational: boolean;
  fstype: string | null;
  pttype: string | null;
  mountpoint: string | null;
  /** Every mount of the device (MOUNTPOINT shows only one); `[SWAP]` for active swap. */
  mountpoints: string[];
  readOnly: boolean;
  /** Partitions and holders below it. */
  children: BlockDevice[];
}

interface Raw {
  name: string;
  path?: string;
  size: number | string;
  type: string;
  model?: string | null;
  vendor?: string | null;
  serial?: string | null;
  wwn?: string | null;
  rota?: boolean | string;
  fstype?: string | null;
  pttype?: string | null;
  mountpoint?: string | null;
  mountpoints?: (string | null)[];
  ro?: boolean | string;
  children?: Raw[];
}

const bool = (v: boolean | string | undefined) => v === true || v === '1';
const str = (v: string | null | undefined) => (v === null || v === undefined ? null : v.trim() || null);

/** MOUNTPOINTS where lsblk gave it (`[null]` when unmounted), else the one MOUNTPOINT. */
function mountpointsOf(r: Raw): string[] {
  const all = (r.mountpoints ?? [r.mountpoint]).map((m) => str(m)).filter((m): m is string => m !== null);
  const one = str(r.mountpoint);
  return one && !all.includes(one) ? [one, ...all] : all;
}

function convert(r: Raw): BlockDevice {
  return {
    name: r.name,
    path: r.path ?? `/dev/${r.name}`,
    sizeBytes: Number(r.size),
    type: r.type,
    model: str(r.model),
    vendor: str(r.vendor),
    serial: str(r.serial),
    wwn: str(r.wwn),
    rotational: bool(r.rota),
    fstype: str(r.fstype),
    pttype: str(r.pttype),
    mountpoint: str(r.mountpoint),
    mountpoints: mountpointsOf(r),
    readOnly: bool(r.ro),
    children: (r.children ?? []).map(convert),
  };
}

export function parseLsblk(text: string): BlockDevice[] {
  const j = JSON.parse(text) as { blockdevices: Raw[] };
  return j.blockdevices.map(convert);
}
