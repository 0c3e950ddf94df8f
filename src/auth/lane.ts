// A bounded lane for expensive work (password hashing for suspect logins): at most `slots` run at
// once and at most `queue` wait; past that the caller is refused at once. Keeps a flood of wrong
// passwords from filling libuv's thread pool, where a legitimate login's hash would queue behind it.
export class Lane {
  private running = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(
    private readonly slots: number,
    private readonly queue: number,
  ) {}

  /** Runs `f` in the lane; resolves to `null` without running it when the lane is full. */
  async run<T>(f: () => Promise<T>): Promise<T | null> {
    if (this.running >= this.slots) {
      if (this.waiting.length >= this.queue) return null;
      await new Promise<void>((r) => this.waiting.push(r));
    } else this.running += 1;
    try {
      return await f();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.running -= 1;
    }
  }
}
