// NGX shares (/api/v2/share/, used by NGX's SDK; the seed names the group and shows a share's
// fields): Cairn filesystem volumes with their NFS and SMB exports. `nfs_export` / `smb_export`
// make or remove the export; `access_net` and `nfs_read_only` change it in place (svc.shares.apply).
import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { CairnError } from '../../../../domain/errors.js';
import type { Principal } from '../../../../domain/permissions.js';
import type { Volume } from '../../../../domain/volumes.js';
import type { SharesChange } from '../../../../services/exports/shares.js';
import { StringEnum } from '../../../native/common.js';
import { all, cfg, eq, idOf, Name, Owner, param, REQUEST_BUDGET_MS, typed, type Ngx } from '../helpers.js';
import {
  accessNet,
  allowedOf,
  bytesOf,
  compressed,
  compressionOf,
  ngxId,
  onOff,
  SIZE_LETTERS,
  str,
} from '../map.js';

const OnOff = StringEnum(['on', 'off']);
const Flag = Type.Union([Type.Literal(0), Type.Literal(1)]);
const Settings = {
  sing: Type.Optional(StringEnum(SIZE_LETTERS)),
  size_letter: Type.Optional(StringEnum(SIZE_LETTERS)),
  compression: Type.Optional(OnOff),
  nfs_export: Type.Optional(Flag),
  smb_export: Type.Optional(Flag),
  nfs_read_only: Type.Optional(OnOff),
  access_net: Type.Optional(Type.String({ minLength: 1, maxLength: 1000 })),
  owner: Type.Optional(Owner),
};
const ShareCreate = Type.Object(
  {
    pool_name: Type.String({ minLength: 1, maxLength: 64 }),
    name: Name,
    size: Type.Integer({ minimum: 1 }),
    ...Settings,
  },
  { additionalProperties: false },
);
const ShareModify = Type.Object(
  { size: Type.Optional(Type.Integer({ minimum: 0 })), ...Settings },
  { additionalProperties: false },
);
type ShareSettings = Static<typeof ShareModify>;

export async function shareRoutes(app: FastifyInstance, ngx: Ngx): Promise<void> {
  const t = typed(app);
  const { svc } = ngx;
  const VolParam = param('vol_id');

  const exportsOf = (p: Principal, volumeId: string) =>
    all((q) => svc.exports.forVolume(p, volumeId, q), eq('protocol', ['nfs', 'smb']));
  const share = async (p: Principal, ngxVolId: string) => {
    const v = await svc.volumes.get(p, idOf('volume', ngxVolId));
    if (v.type !== 'filesystem') throw new CairnError('VOLUME_NOT_FOUND', { id: ngxVolId });
    return v;
  };
  const shares = (p: Principal) => all((q) => svc.volumes.list(p, q), eq('type', 'filesystem'));

  const detail = async (p: Principal, v: Volume, names: Map<string, string>) => {
    const ex = await exportsOf(p, v.id);
    const nfs = ex.find((e) => e.protocol === 'nfs');
    const smb = ex.find((e) => e.protocol === 'smb');
    const snaps = await all((q) => svc.snapshots.list(p, q, v.id));
    return {
      sizebysnapshots: str(snaps.reduce((s, x) => s + x.exclusive, 0)),
      compress_ratio: '-',
      recursive_share: 'off',
      blocksize: '131072',
      io_type: 'sequential',
      cifs_abse: '',
      smb_export: smb ? 1 : 0,
      quota_hard: str(v.size),
      pool_name: names.get(v.pool) ?? '',
      export_only_share_name: 0,
      cifs_veto_files: '',
      smb_user_quota_size: null,
      smb_access_ips: smb ? accessNet(smb.allowed) : null,
      vol_name: v.name,
      log_operations: null,
      provision_type: v.thin ? 'thin' : 'full',
      dram_cache: 'off',
      owner: await ngx.owner(),
      compress: onOff(compressed(v.compression)),
      reserved: str(v.thin ? 0 : v.size),
      smb_worm: 'off',
      path: nfs?.exportName ?? v.path,
      sizebydata: str(v.used),
      smb_home_dir: null,
      clone: v.origin_snapshot ? ngxId('snapshot', v.origin_snapshot) : '',
      flashtier_blocksize_limit: '0',
      vol_used: str(v.used),
      cifs_read_only: smb ? onOff(smb.readOnly) : null,
      nfs_read_only: onOff(nfs?.readOnly ?? false),
      flash_cache: 'off',
      access_net: nfs ? accessNet(nfs.allowed) : 'all',
      s3_export: 0,
      nfs_export: nfs ? 1 : 0,
      smb_worm_write_timeout: 0,
      quota_soft: str(v.size),
      permissions: '111101101',
      worm_property_change_timeout: null,
      vol_id: ngxId('volume', v.id),
      dedup: 'off',
      cifs_users: smb?.options.users?.map((u) => u.name).join(',') ?? null,
    };
  };

  /** The share's NFS and SMB exports as the settings say (the rule is VolumeShares.apply's). */
  const sharesOf = (b: ShareSettings): SharesChange => ({
    nfs: b.nfs_export === undefined ? undefined : b.nfs_export === 1,
    smb: b.smb_export === undefined ? undefined : b.smb_export === 1,
    allowed: b.access_net === undefined ? undefined : allowedOf(b.access_net),
    nfsReadOnly: b.nfs_read_only === undefined ? undefined : b.nfs_read_only === 'on',
  });

  t.post(
    '/share',
    { config: cfg('volume.write'), schema: { summary: 'Create a share', body: ShareCreate } },
    async (req) => {
      const p = req.principal;
      const b = req.body;
      const deadline = Date.now() + REQUEST_BUDGET_MS;
      const pool = await ngx.poolByName(p, b.pool_name);
      // The volume and its exports, all or none.
      const [id] = await svc.provisioning.volumes(
        p,
        [
          {
            volume: {
              pool,
              name: b.name,
              type: 'filesystem',
              size: bytesOf(b.size, b.sing ?? b.size_letter ?? 'G'),
              ...(b.compression ? { compression: compressionOf(b.compression) } : {}),
            },
            shares: sharesOf(b),
          },
        ],
        { deadline },
      );
      return { success: true, vol_id: ngxId('volume', id!) };
    },
  );
  t.patch(
    '/share/:vol_id',
    {
      config: cfg('volume.write'),
      schema: { summary: 'Modify a share', params: VolParam, body: ShareModify },
    },
    async (req) => {
      const p = req.principal;
      const since = Date.now();
      const b = req.body;
      const v = await share(p, req.params.vol_id);
      const size = b.size ? bytesOf(b.size, b.sing ?? b.size_letter ?? 'G') : undefined;
      if ((size !== undefined && size !== v.size) || b.compression)
        await ngx.done(
          await svc.volumes.update(p, v.id, {
            ...(size !== undefined && size !== v.size ? { size } : {}),
            ...(b.compression ? { compression: compressionOf(b.compression) } : {}),
          }),
          since,
        );
      await svc.shares.apply(p, v.id, sharesOf(b), { deadline: since + REQUEST_BUDGET_MS });
      return { success: true, vol_size: str((await svc.volumes.get(p, v.id)).size) };
    },
  );
  t.delete(
    '/share/:vol_id',
    { config: cfg('volume.write'), schema: { summary: 'Delete a share and its exports', params: VolParam } },
    async (req) => {
      const v = await share(req.principal, req.params.vol_id);
      await ngx.done(await svc.volumes.delete(req.principal, v.id, true));
      return { success: true };
    },
  );
  t.get(
    '/share/:vol_id',
    { config: cfg('volume.read'), schema: { summary: 'Share detail', params: VolParam } },
    async (req) =>
      detail(
        req.principal,
        await share(req.principal, req.params.vol_id),
        await ngx.poolNames(req.principal),
      ),
  );
  t.get(
    '/share/list',
    { config: cfg('volume.read'), schema: { summary: 'Share detail list' } },
    async (req) => {
      const names = await ngx.poolNames(req.principal);
      return Promise.all((await shares(req.principal)).map((v) => detail(req.principal, v, names)));
    },
  );
  t.get('/share', { config: cfg('volume.read'), schema: { summary: 'List shares' } }, async (req) => {
    const [names, owner] = await Promise.all([ngx.poolNames(req.principal), ngx.owner()]);
    return (await shares(req.principal)).map((v) => ({
      owner,
      vol_id: ngxId('volume', v.id),
      vol_name: v.name,
      pool_name: names.get(v.pool) ?? '',
    }));
  });
}
