// PUT /v1/osd-volumes/{id} (VolumeSetRequest): labels and spec changes, then the attach / mount
// actions, answered as VolumeSetResponse (the volume as it is after, and the error if any). The
// actions go through Cairn's attachments under one requester, `osd`: attach gives a lun's loop
// device; mount at the caller's path moves that attachment's mount in place (the loop device
// stays); unmount drops the mount and keeps the attachment; detach releases it.
import type { FastifyRequest } from 'fastify';
import type { Static } from '@sinclair/typebox';
import { CairnError } from '../../../../domain/errors.js';
import type { Attachment } from '../../../../domain/attachments.js';
import type { Principal } from '../../../../domain/permissions.js';
import type { Volume } from '../../../../domain/volumes.js';
import { finished } from '../../jobs.js';
import { params, type OsdContext } from '../context.js';
import { ACTION, actionValue, NODE_COUNT } from '../map.js';
import { errorOf } from '../reply.js';
import type { VolumeSetRequest } from '../schemas.js';

/** Every OSD attach, mount, unmount and detach is one requester's use of the volume. */
export const REQUESTER = 'osd';

export async function setVolume(
  x: OsdContext,
  req: FastifyRequest,
  id: string,
  body: Static<typeof VolumeSetRequest>,
): Promise<unknown> {
  const p = req.principal;
  let error: string | undefined;
  let volumeId = id;
  try {
    const v = await x.mustVolume(p, id);
    volumeId = v.id;
    await changeRecord(x, p, v, body);
    const a = body.action;
    if (a) {
      const attach = actionValue(a.attach);
      const mount = actionValue(a.mount);
      if (mount === ACTION.OFF) await unmount(x, p, v, a.mount_path);
      if (attach === ACTION.ON) await attachBlock(x, p, v);
      else if (attach === ACTION.OFF)
        await detach(
          x,
          p,
          v,
          a.unmount_before_detach === true || body.options?.UNMOUNT_BEFORE_DETACH === 'true',
        );
      if (mount === ACTION.ON) {
        if (!a.mount_path)
          throw new CairnError('VALIDATION_FAILED', { summary: 'action.mount_path: Invalid mount path' });
        await mountAt(x, p, v, a.mount_path);
      }
    }
  } catch (e) {
    error = errorOf(req, e).text;
  }
  const after = await x.findVolume(p, volumeId).catch(() => null);
  return {
    volume: after ? await x.volumeOut(p, after) : {},
    volume_response: error ? { error } : {},
  };
}

/** Labels (a value '' removes the key, as OpenStorage's update does) and the spec's size. */
async function changeRecord(x: OsdContext, p: Principal, v: Volume, body: Static<typeof VolumeSetRequest>) {
  // OpenStorage's update sets the labels given; an empty value removes the key.
  const labels = { ...(body.spec?.volume_labels ?? {}), ...(body.locator?.volume_labels ?? {}) };
  if (Object.keys(labels).length)
    await x.svc.volumes.setAttributes(p, v.id, {
      labels: Object.fromEntries(Object.entries(labels).map(([k, val]) => [k, val === '' ? null : val])),
    });
  const spec = body.spec;
  if (!spec) return;
  if (spec.ha_level !== undefined && spec.ha_level > NODE_COUNT)
    throw new CairnError('VALIDATION_FAILED', {
      summary: `spec.ha_level: ha_level ${spec.ha_level} needs ${spec.ha_level} nodes; this cluster has ${NODE_COUNT}`,
    });
  if (spec.size !== undefined && spec.size !== 0 && spec.size !== v.size) {
    const job = await x.svc.volumes.update(p, v.id, { size: spec.size });
    if (job) await finished(x.svc, job);
  }
}

async function mine(x: OsdContext, p: Principal, volumeId: string): Promise<Attachment[]> {
  const page = await x.svc.attachments.list(
    p,
    params([
      { field: 'volume_id', column: 'volume_id', op: 'eq', value: volumeId },
      { field: 'requester', column: 'requester', op: 'eq', value: REQUESTER },
    ]),
  );
  return page.items;
}

async function attachBlock(x: OsdContext, p: Principal, v: Volume): Promise<void> {
  if ((await mine(x, p, v.id)).length) return;
  await x.svc.attachments.attach(p, v.id, { requester: REQUESTER });
}

async function mountAt(x: OsdContext, p: Principal, v: Volume, path: string): Promise<void> {
  const [held] = await mine(x, p, v.id);
  const fs = v.type === 'lun' ? { fs: x.lunFs(v) } : {};
  // Attached already (a block device, or Cairn's own path): its one mount moves to the path in place.
  if (held) await x.svc.attachments.setMount(p, held.id, { mount_path: path, ...fs });
  else await x.svc.attachments.attach(p, v.id, { requester: REQUESTER, mount_path: path, ...fs });
}

/** The mount goes, the attachment stays (a lun keeps its device) until the detach. */
async function unmount(x: OsdContext, p: Principal, v: Volume, path: string | undefined): Promise<void> {
  for (const a of await mine(x, p, v.id))
    if (a.mount_path !== null && (!path || a.mount_path === path))
      await x.svc.attachments.setMount(p, a.id, { mount_path: null });
}

async function detach(x: OsdContext, p: Principal, v: Volume, unmountFirst: boolean): Promise<void> {
  for (const a of await mine(x, p, v.id)) {
    if (a.mount_path && !unmountFirst && v.type === 'lun')
      throw new CairnError('ATTACHMENT_CONFLICT', {
        id: v.id,
        what: `at ${a.mount_path}`,
        reason: 'unmount it first (or detach with the option UNMOUNT_BEFORE_DETACH=true)',
      });
    await x.svc.attachments.detach(p, a.id);
  }
}
