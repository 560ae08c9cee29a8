// Crash-recovery benchmark: prints figures, asserts nothing. Run after a build:
//   pnpm --filter @gtm-mcp/tool-kit build && node packages/tool-kit/bench/recovery-bench.mjs
// For each store (SQLite, Redis) and lease: a child process claims a write's key, writes to
// the "vendor" and is SIGKILLed before completing the key; the parent then retries the
// identical call as an agent would (IN_PROGRESS → wait retryAfterMs → again) and reports how
// long after the kill the retry settled, and how many vendor writes there were (must be 1).
// Then the other side of the trade-off: how long this process's event loop stalls (the
// longest gap a lease renewal can be late by), on the machine as it is and beside two
// CPU-burning processes.
import { spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { monitorEventLoopDelay } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import { openStore } from "../dist/idempotency/index.js";
import { createTestRuntime, startRedisServer } from "../dist/testing/index.js";
import { compileTool } from "../dist/tools/compile-tool.js";
import { runToolCall } from "../dist/tools/run-tool-call.js";
import { DEFAULT_IDEMPOTENCY } from "../dist/tools/runtime.js";
import { vendorFileTool } from "./vendor-file-tool.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const LEASES = (process.env.BENCH_LEASES ?? `30000,${DEFAULT_IDEMPOTENCY.leaseMs}`).split(",").map(Number);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const dir = mkdtempSync(join(tmpdir(), "recovery-bench-"));
const redis = await startRedisServer();

async function crashOnce(url, leaseMs) {
  const server = `rb-${randomUUID().slice(0, 8)}`;
  const vendorFile = join(dir, `${randomUUID()}.log`);
  const args = { account_id: "42", text: "note", occurrence: "o" };
  const orders = { url, server, vendorFile, leaseMs, args };
  const child = spawn(process.execPath, [join(here, "recovery-child.mjs"), JSON.stringify(orders)], {
    stdio: ["ignore", "ignore", "inherit"],
  });
  const signal = await new Promise((resolve) => child.on("exit", (_code, sig) => resolve(sig)));
  const killedAt = performance.now();
  if (signal !== "SIGKILL") throw new Error(`the child was not killed (${signal})`);
  const store = await openStore({ url, server, env: "test" });
  const { runtime } = createTestRuntime({ server, store, idempotency: { leaseMs } });
  const tool = compileTool(vendorFileTool(vendorFile));
  let calls = 0;
  for (;;) {
    calls += 1;
    const result = await runToolCall(tool, args, runtime);
    const body = JSON.parse(result.content[0].text);
    if (!body.error) break;
    if (body.error.code !== "IN_PROGRESS") throw new Error(`unexpected ${body.error.code}`);
    await new Promise((resolve) => setTimeout(resolve, body.error.retryAfterMs ?? 1000));
  }
  const settledMs = performance.now() - killedAt;
  await store.close();
  const writes = readFileSync(vendorFile, "utf8").split("\n").filter(Boolean).length;
  return { settledMs, calls, writes };
}

async function stalls(seconds, burners) {
  const procs = Array.from({ length: burners }, () =>
    spawn("sh", ["-c", "while :; do :; done"], { stdio: "ignore" }),
  );
  const histogram = monitorEventLoopDelay({ resolution: 10 });
  histogram.enable();
  // Some work of our own, as a server would have: allocate and drop, so GC runs too.
  const until = Date.now() + seconds * 1000;
  while (Date.now() < until) {
    const junk = Array.from({ length: 20_000 }, (_, i) => ({ i, s: `x${i}` }));
    junk.length = 0;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  histogram.disable();
  for (const p of procs) p.kill("SIGKILL");
  return { p99: histogram.percentile(99) / 1e6, max: histogram.max / 1e6 };
}

try {
  console.log(`Crash recovery: retry settled after a SIGKILL mid-write (${RUNS} runs each)`);
  console.log("store   lease     settled after kill (each run)          calls  vendor writes");
  for (const [name, url] of [
    ["sqlite", () => `sqlite:${join(dir, `${randomUUID()}.sqlite`)}`],
    ["redis", () => redis.url],
  ]) {
    for (const leaseMs of LEASES) {
      const runs = [];
      for (let i = 0; i < RUNS; i++) runs.push(await crashOnce(url(), leaseMs));
      const times = runs.map((r) => `${(r.settledMs / 1000).toFixed(1)} s`).join(", ");
      console.log(
        `${name.padEnd(7)} ${String(leaseMs / 1000).padStart(3)} s   ${times.padEnd(38)} ${runs
          .map((r) => r.calls)
          .join("/")
          .padEnd(6)} ${runs.map((r) => r.writes).join("/")}`,
      );
    }
  }
  console.log("\nEvent-loop stalls (how late a lease renewal can be), 10 s windows:");
  for (const burners of [0, 2]) {
    const s = await stalls(10, burners);
    console.log(`  ${burners} CPU burners beside: p99 ${s.p99.toFixed(0)} ms, max ${s.max.toFixed(0)} ms`);
  }
  const lease = DEFAULT_IDEMPOTENCY.leaseMs;
  console.log(
    `\nDefault lease ${lease / 1000} s, renewed every ${lease / 4000} s: a live handler keeps its key through a stall of up to ${(lease * 0.75) / 1000} s.`,
  );
} finally {
  await redis.stop();
  rmSync(dir, { recursive: true, force: true });
}
