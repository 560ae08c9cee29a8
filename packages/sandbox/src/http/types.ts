import type { IncomingHttpHeaders } from "node:http";

/** A request an emulator received. */
export interface EmulatorRequest {
  method: string;
  pathname: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  /** The body as sent (form posts are read from it). */
  rawBody: string;
  /** Parsed JSON body; undefined when empty or not JSON. */
  body: unknown;
  /** `:name` segments of the matched route. */
  params: Record<string, string>;
}

/** An emulator's answer: JSON `body`, or `text` sent as is; `drop` closes the socket unanswered. */
export interface EmulatorReply {
  status: number;
  headers?: Record<string, string>;
  body?: unknown;
  text?: string;
}

/** Computes the answer to one request. */
export type RouteHandler = (request: EmulatorRequest) => EmulatorReply | Promise<EmulatorReply>;

/** One vendor endpoint. */
export interface Route {
  method: string;
  /** `/crm/v3/objects/:type/search`: `:name` matches one path segment. */
  pattern: string;
  /** The vendor's operation name: the unit of faults, rate costs and admin counts. */
  operation: string;
  /** A write: commit-then-drop applies to it (the write happens, the answer is lost). */
  write?: boolean;
  handler: RouteHandler;
}

/** JSON reply helper. */
export function json(status: number, body: unknown, headers?: Record<string, string>): EmulatorReply {
  return { status, body, ...(headers ? { headers } : {}) };
}
