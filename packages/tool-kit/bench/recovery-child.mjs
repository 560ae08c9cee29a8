// The crashing half of the recovery benchmark: claims a write's key, "writes to the vendor"
// (appends a line to a file, stamped with the key), then SIGKILLs itself before the key can
// be completed, as a server killed mid-note would. Args: one JSON object (see recovery-bench.mjs).
import { openStore } from "../dist/idempotency/index.js";
import { createTestRuntime } from "../dist/testing/index.js";
import { compileTool } from "../dist/tools/compile-tool.js";
import { runToolCall } from "../dist/tools/run-tool-call.js";
import { vendorFileTool } from "./vendor-file-tool.mjs";

const orders = JSON.parse(process.argv[2]);
const store = await openStore({ url: orders.url, server: orders.server, env: "test" });
const { runtime } = createTestRuntime({
  server: orders.server,
  store,
  idempotency: { leaseMs: orders.leaseMs },
});
await runToolCall(compileTool(vendorFileTool(orders.vendorFile, true)), orders.args, runtime);
