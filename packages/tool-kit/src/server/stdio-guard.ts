import { Transform, type TransformCallback } from "node:stream";
import { MAX_JSON_DEPTH, nestsDeeperThan, topLevelId } from "./json-depth.js";

/** Longest line kept while waiting for its end (the SDK's own read limit). */
const MAX_LINE_BYTES = 10 * 1024 * 1024;

/**
 * A JSON-RPC error answer the guard sends itself: to the request's own id when it can be
 * read (a too-deep line), else null.
 */
export interface GuardAnswer {
  jsonrpc: "2.0";
  id: string | number | null;
  error: { code: number; message: string };
}

/**
 * A filter in front of the SDK's stdio reader, which drops without an answer what it cannot
 * use: a line that is not JSON, a JSON-RPC batch (an array; batching was removed from the
 * protocol in 2025-06-18) and anything not a JSON-RPC object. The JSON-RPC spec wants an
 * answer to each (`-32700` parse error, `-32600` invalid request, id null), so the guard
 * answers them through `answer` and passes every other line on unchanged. Lines nested deeper
 * than {@link MAX_JSON_DEPTH} are refused the same way, found without recursion, and answered
 * to the request's own id when its top-level `"id"` can be read (see `topLevelId`); so is a line
 * longer than 10 MiB (its rest is skipped up to the next newline).
 */
export function createStdioGuard(answer: (message: GuardAnswer) => void): Transform {
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let skipping = false;

  const refuse = (code: number, message: string, id: string | number | null = null) =>
    answer({ jsonrpc: "2.0", id, error: { code, message } });

  /** Checks one whole line (without its newline); true when it may pass. */
  const check = (line: Buffer): boolean => {
    const text = line.toString("utf8").trim();
    if (text === "") return true;
    if (nestsDeeperThan(text, MAX_JSON_DEPTH)) {
      // Answered to its own id (read without recursion), so the client's call ends now, as
      // HTTP's 400 ends it, rather than at the client's timeout.
      refuse(-32600, `Invalid Request: JSON nested deeper than ${MAX_JSON_DEPTH} levels`, topLevelId(text));
      return false;
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      refuse(-32700, "Parse error: the line is not JSON");
      return false;
    }
    if (Array.isArray(parsed)) {
      refuse(-32600, "Invalid Request: JSON-RPC batches are not supported; send one message per line");
      return false;
    }
    if (parsed === null || typeof parsed !== "object") {
      refuse(-32600, "Invalid Request: a JSON-RPC message is an object");
      return false;
    }
    return true;
  };

  return new Transform({
    transform(chunk: Buffer, _encoding, callback: TransformCallback) {
      let start = 0;
      for (let nl = chunk.indexOf(10); nl !== -1; nl = chunk.indexOf(10, start)) {
        const piece = chunk.subarray(start, nl);
        start = nl + 1;
        if (skipping) {
          skipping = false;
          continue;
        }
        const line = pending.length === 0 ? piece : Buffer.concat([...pending, piece]);
        pending = [];
        pendingBytes = 0;
        if (check(line)) this.push(Buffer.concat([line, Buffer.from("\n")]));
      }
      const rest = chunk.subarray(start);
      if (rest.length > 0 && !skipping) {
        pendingBytes += rest.length;
        if (pendingBytes > MAX_LINE_BYTES) {
          pending = [];
          pendingBytes = 0;
          skipping = true;
          refuse(-32600, `Invalid Request: a message longer than ${MAX_LINE_BYTES} bytes`);
        } else {
          pending.push(Buffer.from(rest));
        }
      }
      callback();
    },
    flush(callback: TransformCallback) {
      if (pending.length > 0 && !skipping) {
        const line = Buffer.concat(pending);
        if (check(line)) this.push(line);
      }
      callback();
    },
  });
}
