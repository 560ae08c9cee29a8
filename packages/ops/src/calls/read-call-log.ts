import { open } from "node:fs/promises";
import { createInterface } from "node:readline";
import { readLogLine } from "./call-log-line.js";
import type { CallReportBuilder } from "./call-report.js";

/** Adds one line of text to the report (whatever it is). */
export function take(builder: CallReportBuilder, text: string): boolean {
  const read = readLogLine(text);
  if (read?.kind === "call") builder.addCall(read.call);
  else if (read?.kind === "drift") builder.addDrift(read.drift);
  return read !== undefined;
}

/** Reads a stream (stdin) line by line to its end; `onIdle` after each burst of lines. */
export async function readStream(
  builder: CallReportBuilder,
  stream: NodeJS.ReadableStream,
  onLine?: () => void,
): Promise<void> {
  const lines = createInterface({ input: stream, crlfDelay: Number.POSITIVE_INFINITY });
  for await (const line of lines) {
    if (take(builder, line)) onLine?.();
  }
}

/**
 * Reads a file to its end, then (following) keeps reading what is appended, polling every
 * `intervalMs`, until `signal` aborts; `onNew` is told after each read that added lines. A
 * line cut at the end of a read waits for its rest. A file that shrank (rotated) is read
 * again from its start.
 */
export async function readFile(
  builder: CallReportBuilder,
  path: string,
  options: { follow: boolean; intervalMs: number; signal?: AbortSignal; onNew?: () => void },
): Promise<void> {
  let offset = 0;
  let partial = "";
  const buffer = Buffer.alloc(64 * 1024);
  for (;;) {
    const handle = await open(path, "r");
    let added = false;
    try {
      const { size } = await handle.stat();
      if (size < offset) {
        offset = 0;
        partial = "";
      }
      for (;;) {
        const { bytesRead } = await handle.read(buffer, 0, buffer.length, offset);
        if (bytesRead === 0) break;
        offset += bytesRead;
        const text = partial + buffer.subarray(0, bytesRead).toString("utf8");
        const lines = text.split("\n");
        partial = lines.pop() ?? "";
        for (const line of lines) if (take(builder, line)) added = true;
      }
    } finally {
      await handle.close();
    }
    if (!options.follow) {
      if (partial !== "") take(builder, partial);
      return;
    }
    if (added) options.onNew?.();
    if (!(await pause(options.intervalMs, options.signal))) return;
  }
}

function pause(ms: number, signal: AbortSignal | undefined): Promise<boolean> {
  if (signal?.aborted) return Promise.resolve(false);
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", stop);
      resolve(true);
    }, ms);
    const stop = () => {
      clearTimeout(timer);
      resolve(false);
    };
    signal?.addEventListener("abort", stop, { once: true });
  });
}
