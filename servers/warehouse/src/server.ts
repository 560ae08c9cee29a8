import { randomUUID } from "node:crypto";
import { createToolServer, type ToolRuntime } from "@gtm-mcp/tool-kit/tools";
import type { Server } from "@modelcontextprotocol/server";
import type { CatalogEntry } from "./catalog/load-catalog.js";
import { DEFAULT_CHAR_BUDGET } from "./config.js";
import { warehouseTools } from "./tools/index.js";
import type { Snowflake } from "./upstream/client.js";
import type { StatementContext } from "./upstream/statements.js";

export { type CatalogEntry, CatalogError, loadCatalog, SHIPPED_CATALOG } from "./catalog/load-catalog.js";
export { keyPairAuth, publicKeyFingerprint, type SnowflakeAuth, tokenAuth } from "./upstream/auth.js";
export { createSnowflakeClient, type Snowflake, type SnowflakeClientOptions } from "./upstream/client.js";
export { convertCell } from "./upstream/convert-cell.js";
export type { StatementContext } from "./upstream/statements.js";

/** The warehouse server's package version. */
export const VERSION = "0.1.0";

/** What the warehouse server needs. */
export interface WarehouseDeps {
  /** A client from {@link createSnowflakeClient}. */
  snowflake: Snowflake;
  runtime: ToolRuntime;
  /** The validated catalog (see {@link loadCatalog}). */
  catalog: readonly CatalogEntry[];
  context?: StatementContext;
  /** Most characters of row JSON in one result (default 30,000). */
  charBudget?: number;
  /** A fresh Snowflake requestId per logical call (default: a random UUID). */
  newRequestId?: () => string;
}

const INSTRUCTIONS =
  "Read-only analytics over the company's Snowflake warehouse through named queries: there is no free-form SQL. " +
  "Call list_queries to see what each query answers, then call the query's own tool with its parameters. A long result " +
  "comes back with truncated: true and a cursor: call the same tool again with the same arguments and that cursor for " +
  "the next page (the query does not run again). An empty result is rows: [], not an error. Failures are JSON error " +
  "envelopes with a code and retryable.";

/** Builds the warehouse MCP server. No I/O. */
export function createServer(deps: WarehouseDeps): Server {
  return createToolServer({
    name: "gtm-mcp-warehouse",
    version: VERSION,
    instructions: INSTRUCTIONS,
    tools: warehouseTools({
      snowflake: deps.snowflake,
      catalog: deps.catalog,
      context: deps.context ?? {},
      charBudget: deps.charBudget ?? DEFAULT_CHAR_BUDGET,
      newRequestId: deps.newRequestId ?? randomUUID,
    }),
    runtime: deps.runtime,
  });
}
