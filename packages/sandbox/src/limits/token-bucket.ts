/**
 * A token bucket: `capacity` tokens, refilled continuously at `capacity` per `intervalMs`.
 * The clock is injected so tests drive time by hand.
 */
export class TokenBucket {
  private tokens: number;
  private last: number;

  constructor(
    readonly capacity: number,
    readonly intervalMs: number,
    private readonly now: () => number = Date.now,
  ) {
    this.tokens = capacity;
    this.last = now();
  }

  /** Takes `cost` tokens when there are enough; false (and nothing taken) otherwise. */
  take(cost = 1): boolean {
    this.refill();
    if (this.tokens < cost) return false;
    this.tokens -= cost;
    return true;
  }

  /** Whole tokens left now. */
  remaining(): number {
    this.refill();
    return Math.max(0, Math.floor(this.tokens));
  }

  /** Milliseconds until `cost` tokens are there. */
  msUntil(cost = 1): number {
    this.refill();
    const missing = cost - this.tokens;
    return missing <= 0 ? 0 : Math.ceil((missing * this.intervalMs) / this.capacity);
  }

  private refill(): void {
    const t = this.now();
    const elapsed = t - this.last;
    if (elapsed > 0) {
      this.tokens = Math.min(this.capacity, this.tokens + (elapsed * this.capacity) / this.intervalMs);
      this.last = t;
    }
  }
}
