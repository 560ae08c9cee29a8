import type { ServerName } from "../policy/index.js";
import { type CallOutcome, CONNECTION_LOST, type ToolCaller } from "../run/call-outcome.js";
import type { ServersPort } from "./ports.js";

/**
 * The calls of each server that change something at a vendor: the writes, and enrichment's
 * paid lookup (a credit is a side effect). The warehouse has none: a kill of it is aimed at
 * nothing in particular.
 */
export const VENDOR_WRITES: Readonly<Record<ServerName, readonly string[]>> = {
  crm: ["log_activity_note"],
  email: ["create_outreach_draft", "send_draft"],
  enrichment: ["get_account_signals"],
  warehouse: [],
};

/** One server kill of a chaos run: when, and which write of that server was in flight. */
export interface KillRecord {
  server: string;
  atMs: number;
  /** The write tool whose call was outstanding at the client when the SIGKILL went, or null: a kill between calls. */
  during: string | null;
  /** That call came back without an answer (the kill cut it); false when its answer was already on the way. */
  cut: boolean;
}

/** How long an armed kill waits for a write of its server before killing anyway (its tool may be stopped). */
const ARMED_FOR_MS = 15_000;
/** Writes an armed kill lets finish (its delay fell after the answer) before it stops aiming. */
const MAX_MISSES = 50;

/**
 * Wraps the servers so that a chaos kill lands on a write in flight: armed for a server, it
 * waits for that server's next write call and SIGKILLs the server a random share of that
 * tool's recent latency after the call went out, so the kill falls while the write is at the
 * server or at the vendor (claimed, sent, or committed with its answer on the way back). When
 * the call had already answered by then, the kill waits for the next write; after
 * {@link ARMED_FOR_MS} without one it kills between calls and says so.
 */
export class WriteAimedKills implements ToolCaller {
  readonly #servers: ServersPort;
  readonly #random: () => number;
  readonly #now: () => number;
  readonly #armed = new Map<
    string,
    { misses: number; fire: (aimed: { tool: string; call: Promise<CallOutcome> } | null) => void }
  >();
  readonly #outstanding = new Map<string, Map<number, string>>();
  readonly #latencies = new Map<string, number[]>();
  #next = 0;

  constructor(servers: ServersPort, random: () => number, now: () => number) {
    this.#servers = servers;
    this.#random = random;
    this.#now = now;
  }

  async call(server: string, tool: string, args: Record<string, unknown>): Promise<CallOutcome> {
    const isWrite = (VENDOR_WRITES[server as ServerName] ?? []).includes(tool);
    if (!isWrite) return this.#servers.call(server, tool, args);
    const id = this.#next++;
    const outstanding = this.#outstanding.get(server) ?? new Map<number, string>();
    this.#outstanding.set(server, outstanding);
    outstanding.set(id, tool);
    const started = this.#now();
    const call = this.#servers.call(server, tool, args);
    const armed = this.#armed.get(server);
    if (armed !== undefined) {
      const delay = this.#random() * median(this.#latencies.get(tool) ?? []);
      setTimeout(() => {
        if (this.#armed.get(server) !== armed) return;
        if (outstanding.has(id)) armed.fire({ tool, call });
        else if (++armed.misses >= MAX_MISSES) armed.fire(null);
      }, delay);
    }
    try {
      return await call;
    } finally {
      outstanding.delete(id);
      const seen = this.#latencies.get(tool) ?? [];
      seen.push(this.#now() - started);
      if (seen.length > 50) seen.shift();
      this.#latencies.set(tool, seen);
    }
  }

  /**
   * SIGKILLs `server` (and restarts it, as {@link ServersPort.kill} does) while one of its
   * writes is in flight, or at once when it has none. Resolves when the new process is up.
   */
  async kill(server: ServerName, atMs: () => number): Promise<KillRecord> {
    if (VENDOR_WRITES[server].length === 0 || this.#armed.has(server)) {
      const record = { server, atMs: atMs(), during: null, cut: false };
      await this.#servers.kill(server);
      return record;
    }
    const aimed = await new Promise<{ tool: string; call: Promise<CallOutcome> } | null>((resolve) => {
      const timer = setTimeout(() => fire(null), ARMED_FOR_MS);
      const fire = (at: { tool: string; call: Promise<CallOutcome> } | null) => {
        clearTimeout(timer);
        this.#armed.delete(server);
        resolve(at);
      };
      this.#armed.set(server, { misses: 0, fire });
    });
    // Nothing runs between the timer that found the call outstanding and this SIGKILL but
    // promise callbacks: no answer can be read in between.
    const record: KillRecord = { server, atMs: atMs(), during: aimed?.tool ?? null, cut: false };
    await this.#servers.kill(server);
    if (aimed !== null) {
      const outcome = await aimed.call;
      record.cut = !outcome.ok && outcome.error.code === CONNECTION_LOST;
    }
    return record;
  }
}

function median(values: number[]): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
}
