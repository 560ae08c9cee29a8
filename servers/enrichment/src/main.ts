#!/usr/bin/env node
// The entry: refuse an old Node with one line before linking anything that needs a newer one.
import { checkNode } from "@gtm-mcp/tool-kit/node-check";

checkNode("gtm-mcp-enrichment");
await import("./run.js");
