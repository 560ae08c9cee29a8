import { ToolError } from "@gtm-mcp/tool-kit/errors";
import { defineTool } from "@gtm-mcp/tool-kit/tools";
import { z } from "zod";
import type { AccountBook } from "../book.js";

/** `tag_account`: adds a tag to an account, once per occurrence. Errors: INVALID_INPUT, NOT_FOUND, WRITES_DISABLED, CAP_EXCEEDED, IDEMPOTENCY_KEY_REUSED. */
export function tagAccountTool(book: AccountBook) {
  return defineTool({
    name: "tag_account",
    title: "Tag account",
    description:
      "Adds a tag to an account. Repeating the call with the same account and occurrence does not act again; it returns the first result.",
    kind: "write",
    hints: { destructiveHint: false, openWorldHint: false },
    input: z.object({
      account_id: z
        .string()
        .regex(/^\d{1,12}$/)
        .describe("The account's numeric id, e.g. 1001"),
      tag: z
        .string()
        .min(1)
        .max(40)
        .regex(/^[a-z0-9-]+$/)
        .describe("Lower-case tag, e.g. churn-risk"),
      occurrence: z
        .string()
        .min(1)
        .max(100)
        .describe(
          "The logical occurrence of this write, e.g. 2026-11-21 or follow-up-2: the same occurrence acts once",
        ),
    }),
    output: z.object({ account_id: z.string(), tags: z.array(z.string()) }),
    idempotency: {
      key: (args) => ({ target: args.account_id, occurrence: args.occurrence }),
      // Adding a tag that is already there changes nothing: repeating it is safe.
      reexecuteWhenUnknown: true,
    },
    async handler({ account_id, tag }) {
      if (!(await book.find(account_id)))
        throw new ToolError("NOT_FOUND", `No account with id ${account_id}`, { field: "account_id" });
      const account = await book.addTag(account_id, tag);
      return { account_id: account.id, tags: account.tags };
    },
  });
}
