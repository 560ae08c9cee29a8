import type { Server } from "@modelcontextprotocol/server";
import type { LoadedConfig, VarSpecs } from "../config/index.js";
import type { Logger } from "../logging/index.js";
import type { ToolRuntime } from "../tools/runtime.js";
import type { ShutdownTimings } from "./shutdown.js";

/** What a server's start module (`run.ts`, imported by `main.ts` after the Node check) declares. */
export interface ServerMain<S extends VarSpecs> {
  /** Short name: `crm`. */
  name: string;
  /** The executable's name: `gtm-mcp-crm`. */
  binary: string;
  version: string;
  description: string;
  vars: S;
  hasWriteTools: boolean;
  /** Whether read tools need the store (a cache, a cap on paid calls): opened even with writes off. */
  readsNeedStore?: boolean;
  /** Limits of the server's own caps from its configuration (sends, credits). */
  caps?(config: LoadedConfig<S>): Record<string, number>;
  /**
   * Builds the server's dependencies (vendor client, identity check) and returns the
   * server factory. Throw `StartupError` to refuse to start with one clear line.
   */
  start(context: StartContext<S>): Promise<StartedServer>;
}

/** What `start` gets. */
export interface StartContext<S extends VarSpecs> {
  config: LoadedConfig<S>;
  runtime: ToolRuntime;
  logger: Logger;
}

/** What `start` returns. */
export interface StartedServer {
  createServer(): Server;
  /** Releases the server's own resources (connection pools) at shutdown. */
  close?(): Promise<void>;
}

/** Options for tests and embedding. */
export interface RunOptions {
  argv?: readonly string[];
  env?: NodeJS.ProcessEnv;
  /** How the process ends; defaults to `process.exit`. */
  exit?: (code: number) => void;
  /** Shutdown's limits (tests shorten them); see {@link ShutdownTimings}. */
  shutdown?: Partial<ShutdownTimings>;
}
