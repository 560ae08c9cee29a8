import { join } from "node:path";
import { defineMatrixSuite } from "./matrix-suite.js";

// The fault matrix on the SQLite store: one file shared by every server process.
defineMatrixSuite({
  name: "sqlite",
  open: async (dir) => ({ url: `sqlite:${join(dir, "state.sqlite")}`, stop: async () => {} }),
});
