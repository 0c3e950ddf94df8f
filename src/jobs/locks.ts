// Read/write locks on object keys (`pool:<id>`), granted in arrival order so a writer never starves.
// In memory: after a restart no job runs, so no lock can be held; the engine re-queues work.
import type { LockRequest } from '../domain/job.js';

interface Waiter {
  jobId: string;
  locks: LockRequest[];
  grant: () => void;
}

export class LockManager {
  private readonly held = new Map<string, { mode: 'shared' | 'exclusive'; holders: Set<string> }>();
  private readonly queue: Waiter[] = [];

  /**
   * Resolves true once every lock is held by `jobId`; false if `signal` aborts first (a pending job
   * cancelled while it waits leaves the queue at once instead of blocking the waiters behind it).
   */
  acquire(jobId: string, locks: LockRequest[], signal?: AbortSignal): Promise<boolean> {
    if (signal?.aborted) return Promise.resolve(false);
    return new Promise((resolve) => {
      const onAbort = () => {
        if (this.withdraw(jobId)) resolve(false);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.queue.push({
        jobId,
        locks: normalise(locks),
        grant: () => {
          signal?.removeEventListener('abort', onAbort);
          resolve(true);
        },
      });
      this.pump();
    });
  }

  /** Takes every lock now if that is possible without waiting or jumping a waiter; else takes none. */
  tryAcquire(jobId: string, locks: LockRequest[]): boolean {
    let granted = false;
    this.queue.push({ jobId, locks: normalise(locks), grant: () => (granted = true) });
    this.pump();
    if (!granted) this.withdraw(jobId);
    return granted;
  }

  /** Withdraws a waiter that has not been granted (e.g. a cancelled pending job). */
  withdraw(jobId: string): boolean {
    const i = this.queue.findIndex((w) => w.jobId === jobId);
    if (i < 0) return false;
    this.queue.splice(i, 1);
    this.pump();
    return true;
  }

  release(jobId: string): void {
    for (const [key, h] of this.held) {
      h.holders.delete(jobId);
      if (h.holders.size === 0) this.held.delete(key);
    }
    this.pump();
  }

  /** Which job holds `key`, if any (for OBJECT_LOCKED errors and the API). */
  holderOf(key: string): string | undefined {
    return this.held.get(key)?.holders.values().next().value;
  }

  heldKeys(): { key: string; mode: string; holders: string[] }[] {
    return [...this.held].map(([key, h]) => ({ key, mode: h.mode, holders: [...h.holders] }));
  }

  private compatible(l: LockRequest): boolean {
    const h = this.held.get(l.key);
    return !h || (h.mode === 'shared' && l.mode === 'shared');
  }

  private pump(): void {
    // Keys claimed by earlier waiters that could not start yet: later waiters may not jump them.
    const blocked = new Map<string, 'shared' | 'exclusive'>();
    for (let i = 0; i < this.queue.length;) {
      const w = this.queue[i]!;
      const jumps = w.locks.some((l) => {
        const b = blocked.get(l.key);
        return b !== undefined && (b === 'exclusive' || l.mode === 'exclusive');
      });
      if (!jumps && w.locks.every((l) => this.compatible(l))) {
        for (const l of w.locks) {
          const h = this.held.get(l.key);
          if (h) h.holders.add(w.jobId);
          else this.held.set(l.key, { mode: l.mode, holders: new Set([w.jobId]) });
        }
        this.queue.splice(i, 1);
        w.grant();
        continue;
      }
      for (const l of w.locks) if (blocked.get(l.key) !== 'exclusive') blocked.set(l.key, l.mode);
      i++;
    }
  }
}

/** One entry per key; exclusive wins over shared. */
function normalise(locks: LockRequest[]): LockRequest[] {
  const m = new Map<string, LockRequest['mode']>();
  for (const l of locks) if (m.get(l.key) !== 'exclusive') m.set(l.key, l.mode);
  return [...m].map(([key, mode]) => ({ key, mode }));
}
