// What the sampler's rounds trigger once an hour (on the first round of each UTC hour): the
// statistics rollups and retention, and a fresh copy of the system name the node's figures carry
// (a rename shows in the node's statistics within the hour, without a settings read every round).
import { bucketStart, type Retention } from '../../domain/monitor.js';
import type { StatsStore } from '../../store/stats.js';

export class Hourly {
  private rolledHour = 0;

  constructor(
    private readonly d: {
      stats: Pick<StatsStore, 'rollup'>;
      retention: () => Promise<Retention>;
      systemName: () => Promise<string>;
    },
    /** The system name at start. */
    private name: string,
  ) {}

  /** The system name as of the last hour's first round. */
  readonly nodeName = (): string => this.name;

  /** After each stored round (its time in ms): rolls up once the round is in a new hour. */
  async roundDone(ts: number): Promise<void> {
    const hour = bucketStart(ts, 'hour');
    if (hour <= this.rolledHour) return;
    this.rolledHour = hour;
    this.name = await this.d.systemName();
    await this.d.stats.rollup(ts, await this.d.retention());
  }
}
