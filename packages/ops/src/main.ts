#!/usr/bin/env node
// The entry: refuse an old Node with one line before linking the CLI (which opens node:sqlite).
import { checkNode } from "@gtm-mcp/tool-kit/node-check";

checkNode("gtm-mcp");
await import("./cli/cli.js");
