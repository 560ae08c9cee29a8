#!/usr/bin/env node
// Kept tiny: the CLI proper (which opens node:sqlite) is imported only once Node is new enough.
await import("./cli/cli.js");
