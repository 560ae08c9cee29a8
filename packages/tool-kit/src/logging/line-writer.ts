import { writeSync } from "node:fs";

/** Options of {@link createLineWriter}. */
export interface LineWriterOptions {
  /** How long a line that could not start is waited for before it is dropped whole. Default 30 s. */
  stallDropMs?: number;
  /** The raw write (tests); defaults to `fs.writeSync`. Returns the bytes written or throws. */
  writeSync?: (fd: number, buffer: Buffer, offset: number) => number;
  /** Sleeps synchronously (tests); defaults to `Atomics.wait`. */
  sleep?: (ms: number) => void;
  /** The clock (tests); defaults to `Date.now`. */
  now?: () => number;
}

/**
 * A synchronous writer of whole lines to a file descriptor (stderr), for a reader that may be
 * slow. Once anything in the process has touched `process.stderr` (a Node warning does), fd 2
 * is non-blocking: a plain `writeSync` then writes part of a long line or throws `EAGAIN`, and
 * the rest is lost while the next line is glued onto the fragment. This writer loops until
 * every byte of a line is out, sleeping briefly while the pipe is full, so a line is never
 * split and two lines never interleave.
 *
 * A reader that stops reading altogether must not freeze the server: a line none of which
 * could be written within `stallDropMs` is dropped whole, and so is every later line while
 * the pipe stays full; once it drains, a warning line says how many were dropped. A closed
 * reader (`EPIPE`) drops lines silently. A line once started is always finished.
 */
export function createLineWriter(fd: number, options: LineWriterOptions = {}): (line: string) => void {
  const stallDropMs = options.stallDropMs ?? 30_000;
  const write = options.writeSync ?? ((f: number, b: Buffer, o: number) => writeSync(f, b, o));
  const pause = new Int32Array(new SharedArrayBuffer(4));
  const sleep = options.sleep ?? ((ms: number) => Atomics.wait(pause, 0, 0, ms));
  const now = options.now ?? Date.now;
  let dropped = 0;
  let stalled = false;

  /** Writes `buffer` from `offset`; `wait` says whether a full pipe is waited for. Returns bytes written. */
  const push = (buffer: Buffer, wait: boolean): { written: number; closed: boolean } => {
    let offset = 0;
    let since = now();
    let idle = 1;
    while (offset < buffer.length) {
      try {
        const n = write(fd, buffer, offset);
        if (n > 0) {
          offset += n;
          since = now();
          idle = 1;
          continue;
        }
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code !== "EAGAIN" && code !== "EWOULDBLOCK" && code !== "EINTR") {
          return { written: offset, closed: true };
        }
      }
      // A line not yet started may be given up; one started must be finished, or it is split.
      if (offset === 0 && (!wait || now() - since >= stallDropMs)) return { written: 0, closed: false };
      sleep(idle);
      idle = Math.min(idle * 2, 50);
    }
    return { written: offset, closed: false };
  };

  return (line: string) => {
    const buffer = Buffer.from(line.endsWith("\n") ? line : `${line}\n`, "utf8");
    if (dropped > 0) {
      const notice = Buffer.from(
        `${JSON.stringify({
          level: "warn",
          time: new Date(now()).toISOString(),
          msg: "log lines dropped: stderr was not being read",
          droppedLines: dropped,
        })}\n`,
      );
      const sent = push(notice, !stalled);
      if (sent.written < notice.length) {
        if (!sent.closed) dropped += 1;
        return;
      }
      dropped = 0;
      stalled = false;
    }
    const sent = push(buffer, !stalled);
    if (sent.closed) return;
    if (sent.written === 0) {
      stalled = true;
      dropped += 1;
    } else {
      stalled = false;
    }
  };
}
