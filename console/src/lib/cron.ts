// Schedules as people think of them (every hour at :MM, every day at HH:MM, on weekdays, monthly)
// to and from five-field cron, with the plain-words description cronstrue gives.
import cronstrue from 'cronstrue';

export type Frequency = 'hourly' | 'daily' | 'weekly' | 'monthly' | 'custom';

export interface CronParts {
  frequency: Frequency;
  minute: number;
  hour: number;
  /** 0 = Sunday … 6 = Saturday (weekly) */
  weekday: number;
  /** 1..28 (monthly; 28 so that every month has it) */
  day: number;
  /** the expression itself when custom */
  custom: string;
}

export const DEFAULT_CRON: CronParts = {
  frequency: 'daily',
  minute: 0,
  hour: 2,
  weekday: 0,
  day: 1,
  custom: '0 2 * * *',
};

export function toCron(p: CronParts): string {
  switch (p.frequency) {
    case 'hourly':
      return `${p.minute} * * * *`;
    case 'daily':
      return `${p.minute} ${p.hour} * * *`;
    case 'weekly':
      return `${p.minute} ${p.hour} * * ${p.weekday}`;
    case 'monthly':
      return `${p.minute} ${p.hour} ${p.day} * *`;
    case 'custom':
      return p.custom.trim();
  }
}

const num = (s: string, lo: number, hi: number) =>
  /^\d+$/.test(s) && Number(s) >= lo && Number(s) <= hi ? Number(s) : null;

/** The parts of a cron expression this editor can show as choices; otherwise custom. */
export function fromCron(expr: string): CronParts {
  const custom = { ...DEFAULT_CRON, frequency: 'custom' as const, custom: expr };
  const f = expr.trim().split(/\s+/);
  if (f.length !== 5) return custom;
  const [mi, h, dom, mon, dow] = f as [string, string, string, string, string];
  const minute = num(mi, 0, 59);
  if (minute === null || mon !== '*') return custom;
  const base = { ...DEFAULT_CRON, minute, custom: expr };
  if (h === '*' && dom === '*' && dow === '*') return { ...base, frequency: 'hourly' };
  const hour = num(h, 0, 23);
  if (hour === null) return custom;
  if (dom === '*' && dow === '*') return { ...base, hour, frequency: 'daily' };
  const weekday = num(dow, 0, 6);
  if (dom === '*' && weekday !== null) return { ...base, hour, weekday, frequency: 'weekly' };
  const day = num(dom, 1, 28);
  if (day !== null && dow === '*') return { ...base, hour, day, frequency: 'monthly' };
  return custom;
}

/** "At 02:00 AM" or the reason the expression is not one. */
export function describeCron(expr: string): { ok: boolean; text: string } {
  const fields = expr.trim().split(/\s+/).filter(Boolean);
  if (fields.length < 5 || fields.length > 6)
    return { ok: false, text: 'A schedule has five fields: minute hour day-of-month month day-of-week' };
  try {
    return { ok: true, text: cronstrue.toString(expr, { use24HourTimeFormat: true, verbose: true }) };
  } catch (e) {
    return { ok: false, text: typeof e === 'string' ? e : (e as Error).message };
  }
}
