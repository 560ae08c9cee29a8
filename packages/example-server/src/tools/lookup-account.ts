import { ToolError } from "@gtm-mcp/tool-kit/errors";
import { defineTool } from "@gtm-mcp/tool-kit/tools";
import { z } from "zod";
import type { AccountBook } from "../book.js";

const account = z.object({
  id: z.string().describe("Account id"),
  name: z.string().describe("Account name"),
  domain: z.string().describe("Primary web domain"),
  tags: z.array(z.string()).describe("Tags on the account"),
});

/** `lookup_account`: reads one account by id. Errors: INVALID_INPUT, NOT_FOUND. */
export function lookupAccountTool(book: AccountBook) {
  return defineTool({
    name: "lookup_account",
    title: "Look up account",
    description: "Returns one account of the example book by its id. NOT_FOUND when there is none.",
    kind: "read",
    hints: { openWorldHint: false },
    input: z.object({
      account_id: z
        .string()
        .regex(/^\d{1,12}$/)
        .describe("The account's numeric id, e.g. 1001"),
    }),
    output: z.object({ account }),
    async handler({ account_id }) {
      const found = await book.find(account_id);
      if (!found)
        throw new ToolError("NOT_FOUND", `No account with id ${account_id}`, { field: "account_id" });
      return { account: found };
    },
  });
}
