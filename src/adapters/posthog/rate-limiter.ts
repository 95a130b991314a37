/** At most `limit` starts in any `ms`-long sliding window. */
export interface RateWindow {
  limit: number;
  ms: number;
}

export interface RateLimits {
  concurrent: number;
  windows: RateWindow[];
}

/** PostHog's query API: about 3 concurrent queries, 240 a minute, 2,400 an hour. */
export const POSTHOG_QUERY_LIMITS: RateLimits = {
  concurrent: 3,
  windows: [
    { limit: 240, ms: 60_000 },
    { limit: 2_400, ms: 3_600_000 },
  ],
};

/**
 * A small limiter: `run(task)` starts the task when fewer than `concurrent` tasks run and
 * every sliding window has room, in arrival order. Starts are remembered for the longest
 * window only, so memory stays bounded by its limit.
 */
export class RateLimiter {
  private active = 0;
  private readonly starts: number[] = [];
  private readonly waiting: (() => void)[] = [];
  private timer: NodeJS.Timeout | undefined;
  private readonly horizon: number;

  constructor(
    private readonly limits: RateLimits,
    private readonly now: () => number = Date.now,
  ) {
    this.horizon = Math.max(0, ...limits.windows.map((w) => w.ms));
  }

  async run<T>(task: () => Promise<T>): Promise<T> {
    await new Promise<void>((resolve) => {
      this.waiting.push(resolve);
      this.pump();
    });
    try {
      return await task();
    } finally {
      this.active -= 1;
      this.pump();
    }
  }

  /** How many tasks run now (for tests and metrics). */
  get running(): number {
    return this.active;
  }

  private pump(): void {
    while (this.waiting.length > 0 && this.active < this.limits.concurrent) {
      const wait = this.waitMs();
      if (wait > 0) {
        this.wakeIn(wait);
        return;
      }
      this.active += 1;
      this.starts.push(this.now());
      (this.waiting.shift() as () => void)();
    }
  }

  /** 0 when a task may start now, else how long until the fullest window frees a slot. */
  private waitMs(): number {
    const now = this.now();
    while (this.starts.length > 0 && (this.starts[0] as number) <= now - this.horizon) {
      this.starts.shift();
    }
    let wait = 0;
    for (const w of this.limits.windows) {
      const inWindow = this.starts.filter((t) => t > now - w.ms);
      if (inWindow.length >= w.limit) {
        const oldest = inWindow[inWindow.length - w.limit] as number;
        wait = Math.max(wait, oldest + w.ms - now);
      }
    }
    return wait;
  }

  private wakeIn(ms: number): void {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.pump();
    }, ms);
  }
}
