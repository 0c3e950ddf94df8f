// CLI commands of volumes and snapshots: `cairn volumes …`, `cairn snapshots …`.
import type { Command } from 'commander';
import { makeContext, withListOptions, listQueryString, type CliContext } from '../context.js';
import { sizeArg } from '../sizes.js';

type Opts = Record<string, string | string[] | boolean | number | undefined>;
const enc = encodeURIComponent;
const int = (v: unknown) => (v === undefined ? undefined : Number(v));
/** `volumes/<id>` of a volume given by id or name. */
const vol = async (x: CliContext, ref: string) => `volumes/${enc(await x.id('volumes', ref))}`;
/**
 * A snapshot's id from its id or name; a name is unique within its volume, so it is looked up there
 * when the volume is known (rollback), else among all snapshots.
 */
const snap = async (x: CliContext, ref: string, volumeId?: string) =>
  x.id('snapshots', ref, volumeId ? { volume: volumeId } : {});

export function registerVolumeCommands(program: Command): void {
  const vols = program.command('volumes').description('filesystem and lun volumes');
  withListOptions(vols.command('list').description('list volumes')).action(async (o: Opts, c: Command) => {
    const x = makeContext(c);
    x.list(await x.client.get(`volumes${listQueryString(o)}`), [
      'id',
      'name',
      'pool',
      'type',
      'size',
      'used',
      'state',
      'snapshot_count',
    ]);
  });
  vols.command('show <volume>').action(async (ref: string, _o, c: Command) => {
    const x = makeContext(c);
    x.show(await x.client.get(await vol(x, ref)));
  });
  vols
    .command('create <name>')
    .requiredOption('--pool <pool>', 'pool id or name')
    .requiredOption('--size <size>', 'quota (filesystem) or size (lun): bytes or 10G, 512MiB …', sizeArg)
    .option('--type <type>', 'filesystem or lun', 'filesystem')
    .option('--thick', 'lun: preallocate the data file')
    .option('--block-size <size>', 'lun: 512 or 4096 (4K)', sizeArg)
    .option('--nocow', 'copy-on-write off for the data')
    .option('--compression <c>', 'inherit, none, zstd, zstd:N, lzo, zlib')
    .option('--snapshot-limit <n>')
    .action(async (name: string, o: Opts, c: Command) => {
      const x = makeContext(c);
      await x.change('POST', 'volumes', {
        pool: await x.id('pools', String(o.pool)),
        name,
        type: o.type,
        size: o.size,
        ...(o.thick ? { thin: false } : {}),
        ...(o.blockSize ? { block_size: o.blockSize } : {}),
        ...(o.nocow ? { nocow: true } : {}),
        ...(o.compression ? { compression: o.compression } : {}),
        ...(o.snapshotLimit ? { snapshot_limit: int(o.snapshotLimit) } : {}),
      });
    });
  vols
    .command('update <volume>')
    .option('--name <name>')
    .option('--size <size>', 'bytes or 10G, 512MiB …', sizeArg)
    .option('--allow-shrink', 'lun: allow a smaller size')
    .option('--compression <c>')
    .option('--snapshot-limit <n>')
    .action(async (ref: string, o: Opts, c: Command) => {
      const x = makeContext(c);
      await x.change('PATCH', await vol(x, ref), {
        ...(o.name ? { name: o.name } : {}),
        ...(o.size ? { size: o.size } : {}),
        ...(o.allowShrink ? { allow_shrink: true } : {}),
        ...(o.compression ? { compression: o.compression } : {}),
        ...(o.snapshotLimit ? { snapshot_limit: int(o.snapshotLimit) } : {}),
      });
    });
  vols
    .command('delete <volume>')
    .option('--cascade', 'also remove its exports and snapshots')
    .action(async (ref: string, o: Opts, c: Command) => {
      const x = makeContext(c);
      await x.change('DELETE', `${await vol(x, ref)}${o.cascade ? '?cascade=true' : ''}`);
    });
  vols
    .command('rollback <volume> <snapshot>')
    .option('--keep-current', 'keep the pre-rollback state as a snapshot')
    .option('--force', 'even while exported read-write')
    .action(async (ref: string, snapshot: string, o: Opts, c: Command) => {
      const x = makeContext(c);
      const volumeId = await x.id('volumes', ref);
      await x.change('POST', `volumes/${enc(volumeId)}/rollback`, {
        snapshot: await snap(x, snapshot, volumeId),
        ...(o.keepCurrent ? { keep_current: true } : {}),
        ...(o.force ? { force: true } : {}),
      });
    });

  const snaps = program.command('snapshots').description('read-only snapshots and clones');
  withListOptions(snaps.command('list').description('list snapshots (--filter volume=<id>)')).action(
    async (o: Opts, c: Command) => {
      const x = makeContext(c);
      x.list(await x.client.get(`snapshots${listQueryString(o)}`), [
        'id',
        'name',
        'volume',
        'state',
        'exclusive',
        'referenced',
        'clone_count',
        'created_at',
      ]);
    },
  );
  snaps.command('show <snapshot>').action(async (ref: string, _o, c: Command) => {
    const x = makeContext(c);
    x.show(await x.client.get(`snapshots/${enc(await snap(x, ref))}`));
  });
  snaps
    .command('create <volume>')
    .option('--name <name>', 'generated when absent')
    .action(async (ref: string, o: Opts, c: Command) => {
      const x = makeContext(c);
      await x.change('POST', `${await vol(x, ref)}/snapshots`, o.name ? { name: o.name } : {});
    });
  snaps.command('delete <snapshot>').action(async (ref: string, _o, c: Command) => {
    const x = makeContext(c);
    await x.change('DELETE', `snapshots/${enc(await snap(x, ref))}`);
  });
  snaps
    .command('delete-all <volume>')
    .description('delete every snapshot of the volume without clones or holds')
    .action(async (ref: string, _o, c: Command) => {
      const x = makeContext(c);
      await x.change('DELETE', `${await vol(x, ref)}/snapshots`);
    });
  snaps
    .command('clone <snapshot> <name>')
    .description('make a new writable volume from the snapshot')
    .action(async (ref: string, name: string, _o, c: Command) => {
      const x = makeContext(c);
      await x.change('POST', `snapshots/${enc(await snap(x, ref))}/clone`, { name });
    });
}
