// Pure parser of `lsblk --json -b -o NAME,PATH,SIZE,TYPE,MODEL,SERIAL,WWN,ROTA,FSTYPE,MOUNTPOINT,PKNAME,RO` (util-linux 2.38).

export interface BlockDevice {
  name: string;
  path: string;
  sizeBytes: number;
  type: string;
  model: string | null;
  serial: string | null;
  wwn: string | null;
  rotational: boolean;
  fstype: string | null;
  mountpoint: string | null;
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
  serial?: string | null;
  wwn?: string | null;
  rota?: boolean | string;
  fstype?: string | null;
  mountpoint?: string | null;
  ro?: boolean | string;
  children?: Raw[];
}

const bool = (v: boolean | string | undefined) => v === true || v === '1';
const str = (v: string | null | undefined) => (v === null || v === undefined ? null : v.trim() || null);

function convert(r: Raw): BlockDevice {
  return {
    name: r.name,
    path: r.path ?? `/dev/${r.name}`,
    sizeBytes: Number(r.size),
    type: r.type,
    model: str(r.model),
    serial: str(r.serial),
    wwn: str(r.wwn),
    rotational: bool(r.rota),
    fstype: str(r.fstype),
    mountpoint: str(r.mountpoint),
    readOnly: bool(r.ro),
    children: (r.children ?? []).map(convert),
  };
}

export function parseLsblk(text: string): BlockDevice[] {
  const j = JSON.parse(text) as { blockdevices: Raw[] };
  return j.blockdevices.map(convert);
}

/** Why a whole disk cannot be given to a pool, or null when it is free. */
export function inUseReason(d: BlockDevice): string | null {
  if (d.readOnly) return 'read-only';
  if (d.mountpoint) return `mounted at ${d.mountpoint}`;
  if (d.children.some((c) => c.type === 'part')) return 'partitioned';
  if (d.children.length) return `held by ${d.children.map((c) => c.name).join(', ')}`;
  if (d.fstype) return `has a ${d.fstype} signature`;
  if (d.sizeBytes === 0) return 'empty (size 0)';
  return null;
}

/** Whole disks Cairn may offer: not loop (virtual disks are our own), RAM or optical devices. */
export const isCandidateDisk = (d: BlockDevice): boolean =>
  d.type === 'disk' && !/^(zram|ram|loop|sr)/.test(d.name);
