// CLI commands of volumes and snapshots: `cairn volumes …`, `cairn snapshots …`.
import type { Command } from 'commander';
import { makeContext, withListOptions, listQueryString } from '../context.js';
import { sizeArg } from '../sizes.js';

type Opts = Record<string, string | string[] | boolean | number | undefined>;
const enc = encodeURIComponent;
const int = (v: unknown) => (v === undefined ? undefined : Number(v));

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
  vols.command('show <id>').action(async (id: string, _o, c: Command) => {
    const x = makeContext(c);
    x.show(await x.client.get(`volumes/${enc(id)}`));
  });
  vols
    .command('create <name>')
    .requiredOption('--pool <id>', 'pool id')
    .requiredOption('--size <size>', 'quota (filesystem) or size (lun): bytes or 10G, 512MiB …', sizeArg)
    .option('--type <type>', 'filesystem or lun', 'filesystem')
    .option('--thick', 'lun: preallocate the data file')
    .option('--block-size <size>', 'lun: 512 or 4096 (4K)', sizeArg)
    .option('--nocow', 'copy-on-write off for the data')
    .option('--compression <c>', 'inherit, none, zstd, zstd:N, lzo, zlib')
    .option('--snapshot-limit <n>')
    .action(async (name: string, o: Opts, c: Command) =>
      makeContext(c).change('POST', 'volumes', {
        pool: o.pool,
        name,
        type: o.type,
        size: o.size,
        ...(o.thick ? { thin: false } : {}),
        ...(o.blockSize ? { block_size: o.blockSize } : {}),
        ...(o.nocow ? { nocow: true } : {}),
        ...(o.compression ? { compression: o.compression } : {}),
        ...(o.snapshotLimit ? { snapshot_limit: int(o.snapshotLimit) } : {}),
      }),
    );
  vols
    .command('update <id>')
    .option('--name <name>')
    .option('--size <size>', 'bytes or 10G, 512MiB …', sizeArg)
    .option('--allow-shrink', 'lun: allow a smaller size')
    .option('--compression <c>')
    .option('--snapshot-limit <n>')
    .action(async (id: string, o: Opts, c: Command) =>
      makeContext(c).change('PATCH', `volumes/${enc(id)}`, {
        ...(o.name ? { name: o.name } : {}),
        ...(o.size ? { size: o.size } : {}),
        ...(o.allowShrink ? { allow_shrink: true } : {}),
        ...(o.compression ? { compression: o.compression } : {}),
        ...(o.snapshotLimit ? { snapshot_limit: int(o.snapshotLimit) } : {}),
      }),
    );
  vols
    .command('delete <id>')
    .option('--cascade', 'also remove its exports and snapshots')
    .action(async (id: string, o: Opts, c: Command) =>
      makeContext(c).change('DELETE', `volumes/${enc(id)}${o.cascade ? '?cascade=true' : ''}`),
    );
  vols
    .command('rollback <id> <snapshot>')
    .option('--keep-current', 'keep the pre-rollback state as a snapshot')
    .option('--force', 'even while exported read-write')
    .action(async (id: string, snapshot: string, o: Opts, c: Command) =>
      makeContext(c).change('POST', `volumes/${enc(id)}/rollback`, {
        snapshot,
        ...(o.keepCurrent ? { keep_current: true } : {}),
        ...(o.force ? { force: true } : {}),
      }),
    );

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
  snaps.command('show <id>').action(async (id: string, _o, c: Command) => {
    const x = makeContext(c);
    x.show(await x.client.get(`snapshots/${enc(id)}`));
  });
  snaps
    .command('create <volume>')
    .option('--name <name>', 'generated when absent')
    .action(async (volume: string, o: Opts, c: Command) =>
      makeContext(c).change('POST', `volumes/${enc(volume)}/snapshots`, o.name ? { name: o.name } : {}),
    );
  snaps
    .command('delete <id>')
    .action(async (id: string, _o, c: Command) => makeContext(c).change('DELETE', `snapshots/${enc(id)}`));
  snaps
    .command('delete-all <volume>')
    .description('delete every snapshot of the volume without clones or holds')
    .action(async (volume: string, _o, c: Command) =>
      makeContext(c).change('DELETE', `volumes/${enc(volume)}/snapshots`),
    );
  snaps
    .command('clone <id> <name>')
    .description('make a new writable volume from the snapshot')
    .action(async (id: string, name: string, _o, c: Command) =>
      makeContext(c).change('POST', `snapshots/${enc(id)}/clone`, { name }),
    );
}
