import type { CatalogEntry } from "../catalog/load-catalog.js";
import type { Snowflake } from "../upstream/client.js";
import type { StatementContext } from "../upstream/statements.js";

/** What the warehouse tools need. */
export interface WarehouseToolDeps {
  snowflake: Snowflake;
  catalog: readonly CatalogEntry[];
  /** Role, warehouse, database and schema sent with every statement. */
  context: StatementContext;
  /** Most characters of row JSON in one result. */
  charBudget: number;
  /** A fresh requestId per logical call (tests fix it). */
  newRequestId: () => string;
}
