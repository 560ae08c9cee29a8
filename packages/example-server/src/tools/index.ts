import type { AnyTool } from "@gtm-mcp/tool-kit/tools";
import type { AccountBook } from "../book.js";
import { lookupAccountTool } from "./lookup-account.js";
import { tagAccountTool } from "./tag-account.js";

/** Every tool of the example server. */
export function exampleTools(book: AccountBook): AnyTool[] {
  return [lookupAccountTool(book), tagAccountTool(book)] as AnyTool[];
}
