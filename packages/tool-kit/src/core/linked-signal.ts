/** A signal that follows others, and the function that stops it following them. */
export interface LinkedSignal {
  readonly signal: AbortSignal;
  /** Aborts the linked signal itself (a deadline), whatever its sources do. */
  abort(reason?: unknown): void;
  /** Detaches it from its sources; call when the work it guards has ended. */
  release(): void;
}

/**
 * One signal aborted by the first of `sources` to abort (with that source's reason), or by
 * its own `abort`. Unlike `AbortSignal.any`, it holds plain listeners that `release()` removes:
 * `AbortSignal.any` keeps weak references on each source until a garbage collection, and a
 * listener on one of its results walks every source, which cost a per-call pipeline more than
 * the rest of its bookkeeping. A long-lived source (the shutdown signal) must be released
 * from after each call, or its listeners pile up.
 */
export function linkedSignal(sources: ReadonlyArray<AbortSignal | undefined>): LinkedSignal {
  const controller = new AbortController();
  const attached: Array<[AbortSignal, () => void]> = [];
  const release = () => {
    for (const [source, listener] of attached.splice(0)) source.removeEventListener("abort", listener);
  };
  for (const source of sources) {
    if (!source) continue;
    if (source.aborted) {
      controller.abort(source.reason);
      break;
    }
    const listener = () => {
      controller.abort(source.reason);
      release();
    };
    source.addEventListener("abort", listener, { once: true });
    attached.push([source, listener]);
  }
  if (controller.signal.aborted) release();
  return { signal: controller.signal, abort: (reason) => controller.abort(reason), release };
}
