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
  stop(): Promise<void>;
}

/** The four servers, as the book run drives them. */
export interface ServersPort extends ToolCaller {
  /** SIGKILLs one server process and starts another in its place. */
  kill(server: ServerName): Promise<void>;
  close(): Promise<void>;
}
