/**
 * WeCom's per-corp, per-API limits: a budget of calls per minute (exceeding it blocks the API
 * until the minute window has passed: 45009) and a cap on calls in flight (45033).
 */
export class ApiLimits {
  private readonly windows = new Map<string, { startedAt: number; count: number }>();
  private readonly inFlight = new Map<string, number>();

  constructor(
    private readonly defaultPerMinute: number,
    private readonly concurrencyLimit: number,
    private readonly now: () => number,
  ) {}

  /** Counts a call against the minute budget; false when the budget is spent (answer 45009). */
  admit(path: string, perMinute = this.defaultPerMinute): boolean {
    const now = this.now();
    let window = this.windows.get(path);
    if (!window || now - window.startedAt >= 60_000) {
      window = { startedAt: now, count: 0 };
      this.windows.set(path, window);
    }
    if (window.count >= perMinute) return false;
    window.count += 1;
    return true;
  }

  /** Marks a call in flight; false when the cap is reached (answer 45033). Pair with `leave`. */
  enter(path: string): boolean {
    const current = this.inFlight.get(path) ?? 0;
    if (current >= this.concurrencyLimit) return false;
    this.inFlight.set(path, current + 1);
    return true;
  }

  leave(path: string): void {
    this.inFlight.set(path, Math.max(0, (this.inFlight.get(path) ?? 1) - 1));
  }

  reset(): void {
    this.windows.clear();
    this.inFlight.clear();
  }
}
