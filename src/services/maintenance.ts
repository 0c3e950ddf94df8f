// Maintenance mode of the whole system: while it is on, schedules (snapshots, scrubs, dedup,
// replication) do not fire, new replication sessions, attachments and exports are refused with
// MAINTENANCE_MODE, and what runs already goes on. Kept as a setting (it survives restarts) and
// told as events (system.maintenance_entered / system.maintenance_exited).
import { CairnError } from '../domain/errors.js';
import type { EventSink } from '../domain/events.js';
import { principalName, type Principal } from '../domain/permissions.js';
import type { SettingsStore } from '../store/settings.js';

export interface MaintenanceState {
  enabled: boolean;
  /** When it was last turned on (null while off). */
  since: string | null;
}

const KEY = 'system.maintenance';

export class MaintenanceService {
  private state: MaintenanceState = { enabled: false, since: null };
  private readonly listeners: ((s: MaintenanceState) => void)[] = [];

  constructor(
    private readonly settings: SettingsStore,
    private readonly events: EventSink,
  ) {}

  /** Reads the stored state (at start, before anything consults it). */
  async load(): Promise<void> {
    this.state = await this.settings.get<MaintenanceState>(KEY, this.state);
  }

  get(): MaintenanceState {
    return { ...this.state };
  }
  get enabled(): boolean {
    return this.state.enabled;
  }

  /** Told after every change (the scheduler looks again once maintenance ends). */
  onChange(f: (s: MaintenanceState) => void): void {
    this.listeners.push(f);
  }

  /** Throws MAINTENANCE_MODE while maintenance is on. */
  assertOff(what: string): void {
    if (this.state.enabled) throw new CairnError('MAINTENANCE_MODE', { what, since: this.state.since });
  }

  async set(p: Principal, enabled: boolean): Promise<MaintenanceState> {
    if (enabled === this.state.enabled) return this.get();
    const next: MaintenanceState = { enabled, since: enabled ? new Date().toISOString() : null };
    await this.settings.set(KEY, next);
    this.state = next;
    await this.events.record({
      type: enabled ? 'system.maintenance_entered' : 'system.maintenance_exited',
      severity: enabled ? 'warning' : 'info',
      objectType: 'system',
      message: enabled
        ? 'maintenance mode on: schedules and replication paused; new attachments and exports refused'
        : 'maintenance mode off: schedules and replication resume',
      details: { enabled },
      actor: principalName(p),
    });
    for (const l of this.listeners) l(this.get());
    return this.get();
  }
}
