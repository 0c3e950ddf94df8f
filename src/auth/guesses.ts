// Password-guess throttling per (user, source address), kept in memory. A wrong password slows
// down and then refuses further guesses from that source for that user only: the right password
// from another address always works, nothing is written to the database per attempt, and nothing
// outlives a restart (a lock stored per user let anyone lock the administrator out).
// Pure logic: the caller passes the clock; no I/O here.

export interface GuessPolicy {
  /** Wrong passwords allowed in a row from one source before guesses are refused for a while. */
  freeFailures: number;
  /** The first refusal lasts this long; each further failure doubles it, up to maxDelayMs. */
  baseDelayMs: number;
  maxDelayMs: number;
  /** A source's record is forgotten after this long without a failure. */
  forgetAfterMs: number;
  /** Failures from one source for one user that count as a burst (reported once per burst). */
  burstFailures: number;
  /** Most (user, source) pairs kept; the least recently failed are dropped first. */
  maxEntries: number;
}

export const DEFAULT_GUESS_POLICY: GuessPolicy = {
  freeFailures: 5,
  baseDelayMs: 1_000,
  maxDelayMs: 15 * 60_000,
  forgetAfterMs: 30 * 60_000,
  burstFailures: 20,
  maxEntries: 10_000,
};

interface Entry {
  /** Wrong passwords: they set the back-off. */
  failures: number;
  /** Wrong passwords and refused tries: they make a burst. */
  attempts: number;
  lastFailureAt: number;
  blockedUntil: number;
  burstReported: boolean;
}

export type GuessVerdict =
  { allowed: true } | { allowed: false; retryAfterMs: number; until: number; outcome: FailureOutcome };

export interface FailureOutcome {
  /** Wrong passwords and refused tries so far from this source for this user. */
  failures: number;
  /** True once, when this (user, source) reaches `burstFailures`: audit and alert on it. */
  burst: boolean;
}

export class GuessThrottle {
  private readonly entries = new Map<string, Entry>();
  /** Last wrong password per source, any user: such a source's logins take the slow lane. */
  private readonly sources = new Map<string, number>();

  constructor(private readonly policy: GuessPolicy = DEFAULT_GUESS_POLICY) {}

  private static key(user: string, source: string): string {
    return `${user}\0${source}`;
  }

  private live(key: string, now: number): Entry | undefined {
    const e = this.entries.get(key);
    if (e && now - e.lastFailureAt > this.policy.forgetAfterMs && now >= e.blockedUntil) {
      this.entries.delete(key);
      return undefined;
    }
    return e;
  }

  /**
   * May this source try a password for this user now? A refused try counts toward a burst (a
   * client hammering through its back-off is reported) but does not lengthen the back-off.
   */
  check(user: string, source: string, now: number): GuessVerdict {
    const e = this.live(GuessThrottle.key(user, source), now);
    if (!e || now >= e.blockedUntil) return { allowed: true };
    e.attempts += 1;
    return {
      allowed: false,
      retryAfterMs: e.blockedUntil - now,
      until: e.blockedUntil,
      outcome: { failures: e.attempts, burst: this.burst(e) },
    };
  }

  private burst(e: Entry): boolean {
    if (e.burstReported || e.attempts < this.policy.burstFailures) return false;
    e.burstReported = true;
    return true;
  }

  /** Records a wrong password; past the free ones, each failure blocks the pair for longer. */
  fail(user: string, source: string, now: number): FailureOutcome {
    const key = GuessThrottle.key(user, source);
    const e = this.live(key, now) ?? {
      failures: 0,
      attempts: 0,
      lastFailureAt: now,
      blockedUntil: 0,
      burstReported: false,
    };
    e.failures += 1;
    e.attempts += 1;
    e.lastFailureAt = now;
    const over = e.failures - this.policy.freeFailures;
    if (over > 0) {
      const delay = Math.min(this.policy.maxDelayMs, this.policy.baseDelayMs * 2 ** Math.min(over - 1, 30));
      e.blockedUntil = now + delay;
    }
    const burst = this.burst(e);
    // Re-inserting moves the pair to the end: the map's order is least recently failed first.
    this.entries.delete(key);
    this.entries.set(key, e);
    while (this.entries.size > this.policy.maxEntries) {
      const oldest = this.entries.keys().next().value as string;
      this.entries.delete(oldest);
    }
    this.sources.delete(source);
    this.sources.set(source, now);
    while (this.sources.size > this.policy.maxEntries)
      this.sources.delete(this.sources.keys().next().value as string);
    return { failures: e.attempts, burst };
  }

  /** The right password from this source: its record is cleared. */
  succeed(user: string, source: string): void {
    this.entries.delete(GuessThrottle.key(user, source));
  }

  /** A user's password was changed by an administrator: every source may try again. */
  forgetUser(user: string): void {
    const prefix = `${user}\0`;
    for (const k of this.entries.keys()) if (k.startsWith(prefix)) this.entries.delete(k);
  }

  /** Did this source give a wrong password (for any user) lately? */
  suspect(source: string, now: number): boolean {
    const at = this.sources.get(source);
    return at !== undefined && now - at <= this.policy.forgetAfterMs;
  }

  get size(): number {
    return this.entries.size;
  }
}
