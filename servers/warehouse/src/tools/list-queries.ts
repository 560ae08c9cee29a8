import { type AnyTool, defineTool } from "@gtm-mcp/tool-kit/tools";
import { z } from "zod";
import { isRequired } from "../catalog/parameters.js";
import type { WarehouseToolDeps } from "./deps.js";

const parameter = z.object({
  name: z.string(),
  type: z.string(),
  required: z.boolean(),
  description: z.string(),
});

/**
 * Lists the catalog's queries (each is also its own tool): name, title, description,
 * parameters and output columns. Reads nothing upstream; never fails.
 */
export function listQueriesTool(deps: WarehouseToolDeps): AnyTool {
  return defineTool({
    name: "list_queries",
    title: "List warehouse queries",
    description:
      "Lists the named warehouse queries this server offers (each is also a tool of the same name): what each answers, its parameters and its output columns. Call it to choose a query; the warehouse is not contacted.",
    kind: "read",
    input: z.object({}),
    output: z.object({
      queries: z.array(
        z.object({
          name: z.string(),
          title: z.string(),
          description: z.string(),
          parameters: z.array(parameter),
          columns: z.array(z.object({ name: z.string(), type: z.string(), description: z.string() })),
          row_limit: z.number().int(),
          timeout_seconds: z.number().int(),
        }),
      ),
    }),
    hints: { openWorldHint: false },
    async handler() {
      return {
        queries: deps.catalog.map((entry) => ({
          name: entry.name,
          title: entry.title,
          description: entry.description,
          parameters: Object.entries(entry.parameters).map(([name, spec]) => ({
            name,
            type: spec.type,
            required: isRequired(spec),
            description: spec.description,
          })),
          columns: entry.columns.map(({ name, type, description }) => ({ name, type, description })),
          row_limit: entry.row_limit,
          timeout_seconds: entry.timeout_seconds,
        })),
      };
    },
  }) as AnyTool;
}
