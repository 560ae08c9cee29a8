import type { AnyTool } from "@gtm-mcp/tool-kit/tools";
import { catalogQueryTool } from "./catalog-query-tool.js";
import type { WarehouseToolDeps } from "./deps.js";
import { listQueriesTool } from "./list-queries.js";

export type { WarehouseToolDeps } from "./deps.js";

/** Every tool of the warehouse server: `list_queries`, then one read tool per catalog entry. */
export function warehouseTools(deps: WarehouseToolDeps): AnyTool[] {
  return [listQueriesTool(deps), ...deps.catalog.map((entry) => catalogQueryTool(entry, deps))];
}
