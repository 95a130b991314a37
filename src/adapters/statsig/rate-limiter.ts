/**
 * A sliding-window limiter: at most `max` starts in any `windowMs`. `acquire` waits (with the
 * injected sleep) until a slot is free, so a burst of writes is spread out instead of tripping
 * the remote rate limit.
 */
export class SlidingWindowLimiter {
  private readonly starts: number[] = [];

  constructor(
    private readonly max: number,
    private readonly windowMs: number,
    private readonly now: () => number = Date.now,
    private readonly sleep: (ms: number) => Promise<void> = defaultSleep,
  ) {}

  async acquire(): Promise<void> {
    for (;;) {
      const now = this.now();
      while (this.starts.length > 0 && (this.starts[0] as number) <= now - this.windowMs) {
        this.starts.shift();
      }
      if (this.starts.length < this.max) {
        this.starts.push(now);
        return;
      }
      await this.sleep((this.starts[0] as number) + this.windowMs - now + 1);
    }
  }
}

export function defaultSleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));
}
