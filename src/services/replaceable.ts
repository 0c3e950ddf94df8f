// A dependency fixed at construction that a test may swap afterwards (a stand-in VolumeAccess for
// the exports built on a hand-made btrfs). Explicit, so services never late-bind with `let x = null`.
export class Replaceable<T> {
  constructor(private current: T) {}

  readonly get = (): T => this.current;

  readonly set = (next: T): void => {
    this.current = next;
  };
}
