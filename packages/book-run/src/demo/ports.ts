import type { EmulatorState } from "../check/emulator-state.js";
import type { ServerName } from "../policy/index.js";
import type { BookEntry } from "../run/book-entry.js";
import type { ToolCaller } from "../run/call-outcome.js";

/** The running emulators, as the book run needs them. */
export interface SandboxPort {
  /** The seeded book: every account with its domain and primary contact. */
  book: BookEntry[];
  /** Environment of the servers pointed at these emulators (base URLs, fake credentials). */
  serverEnv: Record<string, string>;
  /** Everything the vendors hold, read through the admin API. */
  state(): Promise<EmulatorState>;
  /** Turns chaos faults on in every emulator (429s, 5xx bursts, commit-then-drop on notes and drafts). */
  startChaos(): Promise<void>;
  /** Starts a full enrichment outage lasting `forMs`. */
  enrichmentOutage(forMs: number): Promise<void>;
  /** Faults injected so far, by kind, over every emulator. */
  faultsInjected(): Promise<Record<string, number>>;
  /** Vendor requests the emulators served so far (absent: not counted, e.g. a fake). */
  requests?(): Promise<EmulatorRequestCounts>;
  /** CPU time (ms) of the emulators' own process so far; absent when they run in this one. */
  cpuMs?(): number | null;
  stop(): Promise<void>;
}

/** Vendor requests the emulators served, as the report carries them. */
export interface EmulatorRequestCounts {
  total: number;
  /** Vendor → operation → requests. */
  byVendor: Record<string, Record<string, number>>;
  /**
   * Gmail `messages.list` answers by how many ids each returned: the email server then gets
   * those messages a few at a time, so they are not all on an account's critical path.
   */
  messagesListSizes: Record<string, number>;
}

/** The four servers, as the book run drives them. */
export interface ServersPort extends ToolCaller {
  /** SIGKILLs one server process and starts another in its place. */
  kill(server: ServerName): Promise<void>;
  /** CPU time (user + system, ms) of each server's current process so far; null where unknown. */
  cpuMs?(): Promise<Record<string, number | null>>;
  close(): Promise<void>;
}
