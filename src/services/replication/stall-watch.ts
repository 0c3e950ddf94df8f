// The receiving side's stall rule: a sender that stops sending without closing (a dead link, a hung
// peer) must not hold a receive forever, but a receive that is slow itself (btrfs receive blocked on a
// transaction commit, so the body is paused by back-pressure) is not the sender's stall. A socket idle
// timer cannot tell the two apart: it fires in both. This watch counts only the time the body was
// ready to take bytes and got none.

/** The part of a readable body the watch needs. */
export interface WatchedBody {
  on(event: 'data', f: (chunk: { length: number }) => void): unknown;
  off(event: 'data', f: (chunk: { length: number }) => void): unknown;
  isPaused(): boolean;
}

/**
 * Calls `onStall` once when `body` has delivered no byte for `ms` while not paused. Returns the
 * function that stops the watch (call it when the body has ended or the receive is over).
 */
export function watchStall(body: WatchedBody, ms: number, onStall: () => void): () => void {
  let last = Date.now();
  const seen = () => {
    last = Date.now();
  };
  body.on('data', seen);
  const timer = setInterval(
    () => {
      // Paused by back-pressure: the sender is waiting on us, so its clock does not run.
      if (body.isPaused()) return seen();
      if (Date.now() - last < ms) return;
      stop();
      onStall();
    },
    Math.max(10, Math.min(1000, Math.floor(ms / 4))),
  );
  timer.unref();
  const stop = () => {
    clearInterval(timer);
    body.off('data', seen);
  };
  return stop;
}
