import type { IncomingMessage } from "node:http";
import { MAX_JSON_DEPTH, nestsDeeperThan } from "./json-depth.js";
import { readBody } from "./web-bridge.js";

/**
 * What became of a POST body: accepted (raw bytes and, when it is JSON, the parsed value), or
 * refused with the status and JSON-RPC error to answer.
 */
export type McpBody =
  | { kind: "accepted"; body: Buffer; parsed: unknown }
  | { kind: "refused"; status: 400 | 413; code: number; message: string; unread: boolean };

/**
 * Reads and checks a POST body before anything interprets it: at most `maxBytes` (413), and
 * nested at most {@link MAX_JSON_DEPTH} levels (400, found by a counter, never by recursion,
 * so no caller-controlled depth reaches a recursive parser, validator or walker). A body that
 * is not JSON is accepted unparsed: the SDK answers its parse error in its own words.
 */
export async function readMcpBody(req: IncomingMessage, maxBytes: number): Promise<McpBody> {
  const read = await readBody(req, maxBytes);
  if (read.tooLarge) {
    return {
      kind: "refused",
      status: 413,
      code: -32000,
      message: `Request body larger than ${maxBytes} bytes`,
      unread: true,
    };
  }
  if (nestsDeeperThan(read.body, MAX_JSON_DEPTH)) {
    return {
      kind: "refused",
      status: 400,
      code: -32600,
      message: `Invalid Request: JSON nested deeper than ${MAX_JSON_DEPTH} levels`,
      unread: false,
    };
  }
  return { kind: "accepted", body: read.body, parsed: parseJson(read.body) };
}

/**
 * Whether a message (or a batch's top level) opens a subscription stream, which stays open
 * until the client leaves. Looks one level deep only: a batch is a flat array.
 */
export function opensSubscription(message: unknown): boolean {
  const items = Array.isArray(message) ? message : [message];
  return items.some(
    (item) =>
      item !== null &&
      typeof item === "object" &&
      (item as { method?: unknown }).method === "subscriptions/listen",
  );
}

function parseJson(body: Buffer): unknown {
  try {
    return body.length === 0 ? undefined : JSON.parse(body.toString("utf8"));
  } catch {
    // Left to the SDK, which answers a parse error in its own words.
    return undefined;
  }
}
