import { SingleBar } from "cli-progress";
import type { LiveSnapshot } from "../stats/run-stats.js";

/** A running live view. */
export interface LiveView {
  /** Draws (TTY) or prints (not a TTY) the current figures now. */
  tick(): void;
  /** Draws the last figures and releases the terminal. */
  stop(): void;
}

/** Options of {@link startLiveView}. */
export interface LiveViewOptions {
  /** Where to draw: stderr (stdout carries the report). */
  stream: NodeJS.WritableStream & { isTTY?: boolean };
  snapshot: () => LiveSnapshot;
  /** How often to refresh: the bar default 250 ms, plain lines default 10 s. */
  intervalMs?: number;
}

/** The most frequent error codes, for one line. */
export function topErrors(errors: Record<string, number>, n = 3): string {
  const top = Object.entries(errors)
    .sort(([, a], [, b]) => b - a)
    .slice(0, n);
  return top.length === 0 ? "none" : top.map(([code, count]) => `${code} ${count}`).join(", ");
}

/** The figures of a snapshot as one plain line (CI logs). */
export function plainLine(s: LiveSnapshot): string {
  const pct = s.accountsTotal === 0 ? 100 : Math.floor((s.accountsDone / s.accountsTotal) * 100);
  return (
    `book-run ${(s.elapsedMs / 1000).toFixed(0)}s: ${s.accountsDone}/${s.accountsTotal} accounts (${pct}%), ` +
    `${s.calls} calls, ${s.callsPerSecond.toFixed(1)} calls/s, retries ${s.retries}, replays ${s.replays}, ` +
    `faults seen ${s.faultsSeen}, errors ${topErrors(s.errorsByCode)}`
  );
}

/**
 * The live view on `stream`: on a terminal a progress bar (cli-progress: a maintained library
 * that redraws in place, fits the terminal's width, throttles redraws and computes the ETA, so
 * none of that is hand-rolled here) with accounts done/total, calls/s, retries, replays,
 * faults seen and errors by code; otherwise (CI) a plain line every `intervalMs`.
 */
export function startLiveView(options: LiveViewOptions): LiveView {
  const { stream, snapshot } = options;
  if (stream.isTTY !== true) {
    const tick = () => {
      stream.write(`${plainLine(snapshot())}\n`);
    };
    const timer = setInterval(tick, options.intervalMs ?? 10_000);
    timer.unref();
    return {
      tick,
      stop() {
        clearInterval(timer);
        tick();
      },
    };
  }
  const bar = new SingleBar({
    stream: stream as NodeJS.WritableStream,
    format:
      " {bar} {value}/{total} accounts | {rate} calls/s | retries {retries} | replays {replays} | faults {faults} | {errors} | ETA {eta_formatted}",
    barsize: 24,
    hideCursor: true,
    etaBuffer: 200,
    fps: 8,
  });
  const payload = (s: LiveSnapshot) => ({
    rate: s.callsPerSecond.toFixed(1),
    retries: s.retries,
    replays: s.replays,
    faults: s.faultsSeen,
    errors: topErrors(s.errorsByCode),
  });
  const first = snapshot();
  bar.start(first.accountsTotal, first.accountsDone, payload(first));
  const tick = () => {
    const s = snapshot();
    bar.update(s.accountsDone, payload(s));
  };
  const timer = setInterval(tick, options.intervalMs ?? 250);
  timer.unref();
  return {
    tick,
    stop() {
      clearInterval(timer);
      tick();
      bar.stop();
    },
  };
}
