/** Why the tracker answered a call itself instead of letting it run. */
export type UntrackedReason = "stopping" | "abandoned";

/**
 * Counts tool calls in flight so shutdown can let them finish, and gives shutdown the means
 * to end the ones that do not: `stop()` refuses new calls, `abort()` aborts the signal every
 * tracked call runs under (handlers and vendor requests stop, and the pipeline settles each
 * write key as it would for a cancelled call), and `abandon()` answers every call still
 * running without waiting for it any longer.
 */
export class CallTracker {
  #inflight = 0;
  #idle: Array<() => void> = [];
  #stopping = false;
  readonly #aborter = new AbortController();
  readonly #abandoners = new Set<() => void>();

  get inflight(): number {
    return this.#inflight;
  }

  /** True once {@link stop} was called. */
  get stopping(): boolean {
    return this.#stopping;
  }

  /** Aborted by {@link abort}: every call run through {@link run} gets it. */
  get signal(): AbortSignal {
    return this.#aborter.signal;
  }

  /** Marks a call started; call the returned function when it ends. */
  begin(): () => void {
    this.#inflight += 1;
    let ended = false;
    return () => {
      if (ended) return;
      ended = true;
      this.#inflight -= 1;
      if (this.#inflight === 0) for (const resolve of this.#idle.splice(0)) resolve();
    };
  }

  /**
   * Runs one call under the tracker: `work` gets the shutdown signal. Once stopping, a new call
   * is not run: `answer("stopping")` is returned at once. A call still running when
   * {@link abandon} is called is answered `answer("abandoned")` (its work goes on unwatched).
   */
  async run<T>(work: (signal: AbortSignal) => Promise<T>, answer: (why: UntrackedReason) => T): Promise<T> {
    if (this.#stopping) return answer("stopping");
    const done = this.begin();
    let abandon: () => void = () => undefined;
    const abandoned = new Promise<T>((resolve) => {
      abandon = () => resolve(answer("abandoned"));
    });
    this.#abandoners.add(abandon);
    try {
      return await Promise.race([work(this.#aborter.signal), abandoned]);
    } finally {
      this.#abandoners.delete(abandon);
      done();
    }
  }

  /** Resolves true when no call is in flight, or false after `timeoutMs`. */
  drain(timeoutMs: number): Promise<boolean> {
    if (this.#inflight === 0) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve(false), timeoutMs);
      this.#idle.push(() => {
        clearTimeout(timer);
        resolve(true);
      });
    });
  }

  /** Refuses new calls from now on (see {@link run}). */
  stop(): void {
    this.#stopping = true;
  }

  /** Aborts the signal of every call run through {@link run}. */
  abort(reason: unknown = new Error("the server is shutting down")): void {
    this.#stopping = true;
    this.#aborter.abort(reason);
  }

  /** Answers every call still running through {@link run} now. Returns how many there were. */
  abandon(): number {
    const count = this.#abandoners.size;
    for (const abandon of [...this.#abandoners]) abandon();
    return count;
  }
}
