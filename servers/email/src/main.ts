#!/usr/bin/env node
// A tiny entry: check the Node version before importing anything that needs Node >= 22.19
// (node:sqlite fails at link time on older versions), then start the server.
const [major = 0, minor = 0] = process.versions.node.split(".").map(Number);
if (major < 22 || (major === 22 && minor < 19)) {
  process.stderr.write(`gtm-mcp-email: needs Node 22.19 or later (this is ${process.versions.node})\n`);
  process.exit(2);
}
await import("./run.js");
