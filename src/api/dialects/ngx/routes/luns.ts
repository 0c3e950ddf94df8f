// NGX LUNs (seed 002 "LUN"): Cairn lun volumes. Size with its unit letter, thin provisioning and
// compression act; the seed's other settings (deduplication, block size, caches, I/O type, QoS)
// are kept in the volume's metadata bag and have no effect. `quantity` makes several at once.
import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { CairnError } from '../../../../domain/errors.js';
import type { Principal } from '../../../../domain/permissions.js';
import type { Volume } from '../../../../domain/volumes.js';
import { StringEnum } from '../../../native/common.js';
import { all, cfg, eq, idOf, Name, Owner, param, typed, type Ngx } from '../helpers.js';
import {
  bytesOf,
  compressionOf,
  keptSettings,
  lunDetail,
  ngxId,
  scsiLunId,
  SIZE_LETTERS,
  str,
} from '../map.js';

const OnOff = StringEnum(['on', 'off']);
const Letter = StringEnum(SIZE_LETTERS);
/** The settings kept in the metadata bag (`ngx.<name>`), as the seed names them. */
const Kept = {
  deduplication: Type.Optional(OnOff),
  blocksize: Type.Optional(StringEnum(['4k', '8k', '16k', '32k', '64k', '128k'])),
  flash_cache: Type.Optional(OnOff),
  dram_cache: Type.Optional(OnOff),
  io_type: Type.Optional(StringEnum(['transactional', 'sequential'])),
  qos_priority: Type.Optional(
    Type.Union([
      Type.Literal(4),
      Type.Literal(8),
      Type.Literal(16),
      Type.Literal(32),
      Type.Literal(64),
      Type.Literal(128),
    ]),
  ),
};
const Common = {
  ...Kept,
  sing: Type.Optional(Letter),
  size_letter: Type.Optional(Letter),
  compression: Type.Optional(OnOff),
  thin_provision: Type.Optional(OnOff),
  force: Type.Optional(Type.Union([Type.Boolean(), StringEnum(['true', 'false'])])),
  owner: Type.Optional(Owner),
};
const LunCreate = Type.Object(
  {
    pool_name: Type.String({ minLength: 1, maxLength: 64 }),
    name: Name,
    size: Type.Integer({ minimum: 1 }),
    quantity: Type.Optional(Type.Integer({ minimum: 1, maximum: 256 })),
    ...Common,
  },
  { additionalProperties: false },
);
const LunModify = Type.Object(
  { size: Type.Optional(Type.Integer({ minimum: 0 })), ...Common },
  { additionalProperties: false },
);

export async function lunRoutes(app: FastifyInstance, ngx: Ngx): Promise<void> {
  const t = typed(app);
  const { svc } = ngx;
  const VolParam = param('vol_id');

  /** Volume id → the name of the iSCSI target presenting it. */
  const targetsOf = async (p: Principal) =>
    new Map(
      (await all((q) => svc.exports.list(p, q), eq('protocol', 'iscsi'))).map((e) => [
        e.volumeId,
        e.options.name ?? e.exportName.split(':').pop() ?? e.exportName,
      ]),
    );
  const snapshotBytes = async (p: Principal, volumeId: string) =>
    (await all((q) => svc.snapshots.list(p, q, volumeId))).reduce((s, x) => s + x.exclusive, 0);
  const view = async (p: Principal, v: Volume, names: Map<string, string>, targets: Map<string, string>) =>
    lunDetail(
      { ...v, snapshot_bytes: await snapshotBytes(p, v.id), metadata: ngx.metadata(v) },
      names.get(v.pool) ?? '',
      await ngx.owner(),
      targets.get(v.id) ?? null,
    );
  const lun = async (p: Principal, ngxVolId: string) => {
    const v = await svc.volumes.get(p, idOf('volume', ngxVolId));
    if (v.type !== 'lun') throw new CairnError('VOLUME_NOT_FOUND', { id: ngxVolId });
    return v;
  };
  const luns = (p: Principal) => all((q) => svc.volumes.list(p, q), eq('type', 'lun'));

  t.post(
    '/lun',
    { config: cfg('volume.write'), schema: { summary: 'Create LUNs', body: LunCreate } },
    async (req) => {
      const b = req.body;
      const p = req.principal;
      const pool = await ngx.poolByName(p, b.pool_name);
      const n = b.quantity ?? 1;
      const names = n === 1 ? [b.name] : Array.from({ length: n }, (_, i) => `${b.name}_${i + 1}`);
      // All or none: the LUNs already made go again when one fails.
      const made = await svc.provisioning.volumes(
        p,
        names.map((name) => ({
          volume: {
            pool,
            name,
            type: 'lun' as const,
            size: bytesOf(b.size, b.sing ?? b.size_letter ?? 'G'),
            thin: b.thin_provision === 'on',
            ...(b.compression ? { compression: compressionOf(b.compression) } : {}),
            metadata: keptSettings(b),
          },
        })),
      );
      const out = [];
      for (const id of made) {
        const v = await svc.volumes.get(p, id);
        out.push({
          scsi_lunid: scsiLunId(v.id),
          success: 'true',
          vol_id: ngxId('volume', v.id),
          vol_used: str(v.used),
        });
      }
      return { luns: out, success: true };
    },
  );

  t.delete(
    '/lun/:vol_id',
    { config: cfg('volume.write'), schema: { summary: 'Delete a LUN', params: VolParam } },
    async (req) => {
      const v = await lun(req.principal, req.params.vol_id);
      await ngx.done(await svc.volumes.delete(req.principal, v.id, false));
      return { success: true };
    },
  );

  t.patch(
    '/lun/:vol_id',
    { config: cfg('volume.write'), schema: { summary: 'Modify a LUN', params: VolParam, body: LunModify } },
    async (req) => {
      const b: Static<typeof LunModify> = req.body;
      const p = req.principal;
      const v = await lun(p, req.params.vol_id);
      if (b.thin_provision !== undefined && (b.thin_provision === 'on') !== v.thin)
        throw new CairnError('VALIDATION_FAILED', {
          summary: 'thin_provision: a LUN is thin or fully provisioned from its creation',
        });
      // `size: 0` (as the seed's example sends) leaves the size as it is.
      const size = b.size ? bytesOf(b.size, b.sing ?? b.size_letter ?? 'G') : undefined;
      const input = {
        ...(size !== undefined && size !== v.size ? { size } : {}),
        ...(b.compression ? { compression: compressionOf(b.compression) } : {}),
        metadata: keptSettings(b, ngx.metadata(v)),
      };
      await ngx.done(await svc.volumes.update(p, v.id, input));
      return { success: true, vol_size: str((await svc.volumes.get(p, v.id)).size) };
    },
  );

  t.get(
    '/lun/:vol_id',
    { config: cfg('volume.read'), schema: { summary: 'LUN detail', params: VolParam } },
    async (req) => {
      const p = req.principal;
      const v = await lun(p, req.params.vol_id);
      return view(p, v, await ngx.poolNames(p), await targetsOf(p));
    },
  );
  t.get('/lun/list', { config: cfg('volume.read'), schema: { summary: 'LUN detail list' } }, async (req) => {
    const p = req.principal;
    const [names, targets] = await Promise.all([ngx.poolNames(p), targetsOf(p)]);
    return Promise.all((await luns(p)).map((v) => view(p, v, names, targets)));
  });
  t.get('/lun', { config: cfg('volume.read'), schema: { summary: 'List LUNs' } }, async (req) => {
    const p = req.principal;
    const [names, owner] = await Promise.all([ngx.poolNames(p), ngx.owner()]);
    return (await luns(p)).map((v) => ({
      name: v.name,
      pool: names.get(v.pool) ?? '',
      owner,
      vol_id: ngxId('volume', v.id),
    }));
  });
}
