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

/** `k=v` pairs (repeatable options) as a map; a pair without `=` is refused. */
function pairs(list: unknown, what: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const p of (list as string[] | undefined) ?? []) {
    const i = p.indexOf('=');
    if (i <= 0) throw new Error(`--${what} wants key=value, not ${JSON.stringify(p)}`);
    out[p.slice(0, i)] = p.slice(i + 1);
  }
  return out;
}

/** The labels, display name and metadata options of a create (absent ones left out). */
const attributes = (o: Opts) => ({
  ...(o.label ? { labels: pairs(o.label, 'label') } : {}),
  ...(o.displayName ? { display_name: String(o.displayName) } : {}),
  ...(o.metadata ? { metadata: pairs(o.metadata, 'metadata') } : {}),
});

/** A merge patch: `--label k=v` sets, `--unlabel k` removes (and the same for metadata). */
function patchOf(set: unknown, unset: unknown, what: string): Record<string, string | null> | undefined {
  if (!set && !unset) return undefined;
  return {
    ...pairs(set, what),
    ...Object.fromEntries(((unset as string[] | undefined) ?? []).map((k) => [k, null])),
  };
}

const LABEL_OPTION = ['--label <key=value...>', 'a label (repeatable)'] as const;
const LABEL_FILTER = [
  '--label <key[=value]...>',
  'only those with this label (repeatable, all must match)',
] as const;

export function registerVolumeCommands(program: Command): void {
  const vols = program.command('volumes').description('filesystem and lun volumes');
  withListOptions(
    vols
      .command('list')
      .description('list volumes')
      .option(...LABEL_FILTER),
  ).action(async (o: Opts, c: Command) => {
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
    .option(...LABEL_OPTION)
    .option('--display-name <text>', 'free text shown for the volume (default: its name)')
    .option('--metadata <key=value...>', 'a setting kept for another product; no effect (repeatable)')
    .action(async (name: string, o: Opts, c: Command) => {
      const x = makeContext(c);
      await x.change('POST', 'volumes', {
        ...attributes(o),
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
    .option('--label <key=value...>', 'set a label (repeatable)')
    .option('--unlabel <key...>', 'remove a label (repeatable)')
    .option('--display-name <text>')
    .option('--metadata <key=value...>', 'set a metadata key (no effect on the volume)')
    .option('--unset-metadata <key...>', 'remove a metadata key')
    .action(async (ref: string, o: Opts, c: Command) => {
      const x = makeContext(c);
      const labels = patchOf(o.label, o.unlabel, 'label');
      const metadata = patchOf(o.metadata, o.unsetMetadata, 'metadata');
      await x.change('PATCH', await vol(x, ref), {
        ...(labels ? { labels } : {}),
        ...(metadata ? { metadata } : {}),
        ...(o.displayName ? { display_name: o.displayName } : {}),
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
    .command('clone <volume> <name>')
    .description('make a new writable volume from the live volume as it is now')
    .option(...LABEL_OPTION)
    .option('--display-name <text>')
    .action(async (ref: string, name: string, o: Opts, c: Command) => {
      const x = makeContext(c);
      await x.change('POST', `${await vol(x, ref)}/clone`, { name, ...attributes(o) });
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
  withListOptions(
    snaps
      .command('list')
      .description('list snapshots (--filter volume=<id>)')
      .option(...LABEL_FILTER),
  ).action(async (o: Opts, c: Command) => {
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
  });
  snaps.command('show <snapshot>').action(async (ref: string, _o, c: Command) => {
    const x = makeContext(c);
    x.show(await x.client.get(`snapshots/${enc(await snap(x, ref))}`));
  });
  snaps
    .command('create <volume>')
    .option('--name <name>', 'generated when absent')
    .option(...LABEL_OPTION)
    .option('--display-name <text>', 'free text shown for the snapshot (default: its name)')
    .option('--writable', 'without the read-only flag (its files can be changed)')
    .action(async (ref: string, o: Opts, c: Command) => {
      const x = makeContext(c);
      await x.change('POST', `${await vol(x, ref)}/snapshots`, {
        ...(o.name ? { name: o.name } : {}),
        ...(o.writable ? { writable: true } : {}),
        ...attributes(o),
      });
    });
  snaps
    .command('update <snapshot>')
    .description('change the display name or labels of a snapshot')
    .option('--label <key=value...>', 'set a label (repeatable)')
    .option('--unlabel <key...>', 'remove a label (repeatable)')
    .option('--display-name <text>')
    .action(async (ref: string, o: Opts, c: Command) => {
      const x = makeContext(c);
      const labels = patchOf(o.label, o.unlabel, 'label');
      await x.change('PATCH', `snapshots/${enc(await snap(x, ref))}`, {
        ...(labels ? { labels } : {}),
        ...(o.displayName ? { display_name: o.displayName } : {}),
      });
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
    .option(...LABEL_OPTION)
    .option('--display-name <text>')
    .action(async (ref: string, name: string, o: Opts, c: Command) => {
      const x = makeContext(c);
      await x.change('POST', `snapshots/${enc(await snap(x, ref))}/clone`, { name, ...attributes(o) });
    });
}
