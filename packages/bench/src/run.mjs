#!/usr/bin/env node
// `pnpm bench`: what the tool-kit's guarantees cost, side by side with a bare MCP SDK server,
// in one run on this machine. Prints a table and writes bench/results.json at the repository
// root. Figures are medians of repeated rounds with their spread; nothing here asserts.
// BENCH_CALLS (default 2000) sets the calls per round; REDIS_URL a Redis to use (else one is
// started from redis-server on a free port); BENCH_BOOK_ACCOUNTS (default 4000) the book run's
// accounts. `--only pipeline,stdio,stores,startup,results,memory,book-run` runs those sections and
// merges their figures into bench/results.json (the others keep their last figures).
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { sandboxEnv, startSandbox } from "@gtm-mcp/sandbox";
import { startRedisServer } from "@gtm-mcp/tool-kit/testing";
import { benchBookRun } from "./book-run-efficiency.mjs";
import { fmt, row } from "./measure.mjs";
import { benchPipeline } from "./pipeline.mjs";
import { benchMemory, benchStartup, benchStdio, ROOT, SERVERS } from "./processes.mjs";
import { benchResultSizes } from "./result-sizes.mjs";
import { benchStores } from "./store-throughput.mjs";

const SECTIONS = ["pipeline", "stdio", "stores", "startup", "results", "memory", "book-run"];
const only = selectedSections(process.argv.slice(2));
const want = (section) => only === undefined || only.includes(section);
const CALLS = Number(process.env.BENCH_CALLS ?? 2000);
const log = (line = "") => process.stdout.write(`${line}\n`);
const dir = mkdtempSync(join(tmpdir(), "gtm-bench-"));
const needsRedis = want("pipeline") || want("stdio") || want("stores");
const redis = process.env.REDIS_URL || !needsRedis ? undefined : await startRedisServer();
const redisUrl = process.env.REDIS_URL ?? redis?.url;
const sqliteUrl = (name) => `sqlite:${join(dir, `${name}.sqlite`)}`;
/**
 * Runs `fn` with the sandbox's emulators (50 accounts) and each server's environment against
 * them (its own SQLite state, writes on, sends asking a person), then stops the emulators.
 */
async function withSandbox(label, fn) {
  const sandbox = await startSandbox({ accounts: 50, ports: { hubspot: 0, pdl: 0, snowflake: 0, gmail: 0 } });
  try {
    const env = sandboxEnv(sandbox.urls, sandbox.book);
    const perServer = Object.fromEntries(
      SERVERS.map((s) => [
        s,
        {
          ...env,
          GTM_STATE_URL: sqliteUrl(`${label}-${s}`),
          GTM_ENABLE_WRITES: "true",
          EMAIL_SEND_MODE: "confirm",
        },
      ]),
    );
    return await fn(perServer, sandbox.book);
  } finally {
    await sandbox.stop();
  }
}
const machine = {
  cpus: cpus().length,
  model: cpus()[0]?.model,
  node: process.version,
  at: new Date().toISOString(),
  loadAverageAtStart: loadavg(),
};
const RESULTS = join(ROOT, "bench", "results.json");
// A partial run keeps the other sections' last figures (and their machine line).
const results =
  only !== undefined && existsSync(RESULTS) ? JSON.parse(readFileSync(RESULTS, "utf8")) : { machine };

/** `--only a,b` (or `--only=a,b`); undefined: every section. */
function selectedSections(argv) {
  const args = argv.filter((a) => a !== "--");
  const at = args.findIndex((a) => a === "--only" || a.startsWith("--only="));
  if (at < 0) {
    if (args.length > 0) fail(`unknown argument ${args[0]}`);
    return undefined;
  }
  const value = args[at].startsWith("--only=") ? args[at].slice(7) : args[at + 1];
  const names = (value ?? "").split(",").filter(Boolean);
  if (names.length === 0 || names.some((n) => !SECTIONS.includes(n)))
    fail(`--only takes a comma-separated list of ${SECTIONS.join(", ")}`);
  return names;
}

function fail(message) {
  process.stderr.write(`bench: ${message}\n`);
  process.exit(2);
}

log(
  `gtm-mcp benchmarks — ${machine.cpus} × ${machine.model}, Node ${process.version}, ${CALLS} calls per round, load average ${machine.loadAverageAtStart.map((l) => l.toFixed(2)).join(" ")}${only ? ` (only ${only.join(", ")})` : ""}`,
);

/** Column widths of the calls/s tables (sections 1 and stdio). */
const W = [30, 12, 14, 14, 18];

try {
  if (want("pipeline")) {
    log("\n1. Pipeline overhead, in process (in-memory transport), zero-latency upstream");
    const p = await benchPipeline({ redisUrl, calls: CALLS });
    log(row(["", "calls/s", "p50", "p99", "spread"], W));
    log(
      row(
        [
          "bare SDK: read",
          fmt.rate(p.bare.reads.perSec),
          fmt.ms(p.bare.reads.p50),
          fmt.ms(p.bare.reads.p99),
          fmt.spread(p.bare.reads.spread.perSec),
        ],
        W,
      ),
    );
    log(
      row(
        [
          "bare SDK: write",
          fmt.rate(p.bare.writes.perSec),
          fmt.ms(p.bare.writes.p50),
          fmt.ms(p.bare.writes.p99),
          fmt.spread(p.bare.writes.spread.perSec),
        ],
        W,
      ),
    );
    results.pipeline = { bare: p.bare };
    for (const [kind, s] of Object.entries(p.stores)) {
      for (const [label, f] of [
        ["read", s.reads],
        ["write", s.writes],
        ["replay", s.replay],
        ["store round trip", s.storeRoundTrip],
      ])
        log(
          row(
            [
              `pipeline (${kind}): ${label}`,
              fmt.rate(f.perSec),
              fmt.ms(f.p50),
              fmt.ms(f.p99),
              fmt.spread(f.spread.perSec),
            ],
            W,
          ),
        );
      const readRatio = s.reads.p50 / p.bare.reads.p50;
      const writeExtraRoundTrips = (s.writes.p50 - p.bare.writes.p50) / s.storeRoundTrip.p50;
      const replayRoundTrips = (s.replay.p50 - p.bare.reads.p50) / s.storeRoundTrip.p50;
      log(
        `   ${kind}: read p50 ${fmt.ratio(readRatio)} bare (target ≤ 1.15×); write p50 = bare + ${writeExtraRoundTrips.toFixed(1)} store round trips (target ≤ 2); replay p50 = bare read + ${replayRoundTrips.toFixed(1)} round trips (target 1)`,
      );
      log(
        `   ${kind}: store calls (round trips) counted per read ${s.storeCalls.read}, per write ${s.storeCalls.write}, per replay ${s.storeCalls.replay}`,
      );
      results.pipeline[kind] = {
        ...s,
        read_p50_ratio: readRatio,
        read_throughput_ratio: p.bare.reads.perSec / s.reads.perSec,
        write_extra_store_round_trips: writeExtraRoundTrips,
        store_calls_per_write: s.storeCalls.write,
        store_calls_per_replay: s.storeCalls.replay,
        replay_vs_first_execution_ratio: s.replay.p50 / s.writes.p50,
        replay_store_round_trips: replayRoundTrips,
      };
    }
  }
  if (want("stdio")) {
    log("\n   over stdio (spawned processes; the pipeline on Redis, then on SQLite)");
    const stdio = await benchStdio({
      stateUrls: { redis: redisUrl, sqlite: sqliteUrl("stdio") },
      calls: Math.min(CALLS, 1000),
    });
    for (const [label, f] of Object.entries(stdio))
      for (const [kind, g] of Object.entries(f))
        log(
          row(
            [
              `${label}: ${kind.slice(0, -1)}`,
              fmt.rate(g.perSec),
              fmt.ms(g.p50),
              fmt.ms(g.p99),
              fmt.spread(g.spread.perSec),
            ],
            W,
          ),
        );
    results.stdio = { ...stdio };
    for (const kind of ["redis", "sqlite"]) {
      const p = stdio[`pipeline (${kind})`];
      results.stdio[kind] = {
        read_p50_ratio: p.reads.p50 / stdio.bare.reads.p50,
        write_p50_ratio: p.writes.p50 / stdio.bare.writes.p50,
      };
      log(
        `   ${kind}: read p50 ${fmt.ratio(results.stdio[kind].read_p50_ratio)} bare (target ≤ 1.15×); write p50 ${fmt.ratio(results.stdio[kind].write_p50_ratio)} bare`,
      );
    }
  }
  if (want("stores")) {
    log("\n3. Store throughput (claims/s)");
    const stores = await benchStores({
      stores: { redis: redisUrl, sqlite: sqliteUrl("claims") },
      calls: CALLS,
    });
    const S = [10, 14, 14, 20];
    log(row(["store", "1 client", "16 clients", "2 processes × 16"], S));
    for (const [kind, s] of Object.entries(stores))
      log(
        row([kind, fmt.rate(s.one.perSec), fmt.rate(s.sixteen.perSec), fmt.rate(s.twoProcesses.perSec)], S),
      );
    results.stores = stores;
  }
  if (want("startup")) {
    log("\n4/5. Start-up (spawn → initialize answered), RSS after start, tools/list size");
    await withSandbox("start", async (perServer) => {
      const startup = await benchStartup({ env: perServer, rounds: 5 });
      const U = [12, 12, 22, 12, 16, 10];
      log(row(["server", "start p50", "spread", "RSS", "tools/list", "≈ tokens"], U));
      for (const [name, s] of Object.entries(startup)) {
        s.startup_ratio = s.startupMs / startup.hello.startupMs;
        s.rss_ratio = s.rssKb / startup.hello.rssKb;
        s.toolsListTokens = Math.round(s.toolsListBytes / 4);
        log(
          row(
            [
              name,
              `${s.startupMs.toFixed(0)} ms`,
              `${s.startupSpreadMs[0].toFixed(0)}–${s.startupSpreadMs[1].toFixed(0)} ms`,
              `${(s.rssKb / 1024).toFixed(1)} MiB`,
              `${s.toolsListBytes} B`,
              String(s.toolsListTokens),
            ],
            U,
          ),
        );
      }
      log("   (start-up and RSS ratios are against the bare hello server; targets ≤ 1.5× and ≤ 1.3×)");
      results.startup = startup;
    });
  }
  if (want("results")) {
    log(
      "\n5b. A typical result of each tool (text content a model reads; one call each against the sandbox)",
    );
    await withSandbox("results", async (perServer, book) => {
      const sizes = await benchResultSizes({ env: perServer, book, servers: SERVERS });
      const R = [12, 28, 10, 10, 16];
      log(row(["server", "tool", "bytes", "≈ tokens", "outcome"], R));
      for (const [server, tools] of Object.entries(sizes))
        for (const [tool, size] of Object.entries(tools))
          log(row([server, tool, String(size.bytes), String(size.tokens), size.outcome], R));
      results.results = sizes;
    });
  }
  if (want("memory")) {
    log("\n4b. RSS as calls accumulate (reads over stdio)");
    const memory = await benchMemory({ stateUrl: sqliteUrl("memory"), total: 10_000 });
    for (const [label, points] of Object.entries(memory))
      log(
        `   ${label.padEnd(9)} ${points.map((pt) => `${pt.calls}: ${(pt.rssKb / 1024).toFixed(1)} MiB`).join("  ")}`,
      );
    const last = (points) => points.at(-1).rssKb;
    results.memory = { ...memory, rss_after_10000_calls_ratio: last(memory.pipeline) / last(memory.bare) };
    log(
      `   after 10,000 calls: pipeline ${fmt.ratio(results.memory.rss_after_10000_calls_ratio)} bare (target ≤ 1.3×)`,
    );
  }
  if (want("book-run")) {
    const accounts = Number(process.env.BENCH_BOOK_ACCOUNTS ?? 4000);
    // One worker on a slice of the book: nothing contends, so its efficiency bounds what any
    // number of workers could reach on any machine (the per-call cost beyond the latency).
    const oneWorker = Math.min(accounts, Number(process.env.BENCH_BOOK_ONE_WORKER_ACCOUNTS ?? 300));
    log(
      `\n6. Book-run efficiency: ${accounts} accounts, 16 workers, fixed 5 ms emulator latency, no rate limits; then 1 worker over ${oneWorker} (the book run's live lines on stderr)`,
    );
    const B = [16, 10, 10, 12, 24, 12, 24];
    const header = [
      "store (workers)",
      "run wall",
      "ideal",
      "efficiency",
      "requests/account (path)",
      "accounts/s",
    ];
    log(row([...header, "CPU in run (cores used)"], B));
    results.book_run = {};
    for (const [label, store, workers, n] of [
      ["sqlite", "sqlite", 16, accounts],
      ["redis", "redis", 16, accounts],
      ["one_worker", "sqlite", 1, oneWorker],
      ["one_worker_redis", "redis", 1, oneWorker],
    ]) {
      const b = await benchBookRun({ accounts: n, workers, latencyMs: 5, store });
      results.book_run[label] = b;
      log(
        row(
          [
            `${store} (${workers})`,
            `${(b.wallTimeMs / 1000).toFixed(1)} s`,
            `${(b.idealMs / 1000).toFixed(1)} s`,
            b.efficiency.toFixed(3),
            `${b.requestsPerAccount.toFixed(2)} (${b.criticalPathRequestsPerAccount.toFixed(2)})`,
            b.accountsPerSecond.toFixed(1),
            `${(b.cpu.runMs / 1000).toFixed(1)} s (${(b.cpu.runMs / b.wallTimeMs).toFixed(2)} of ${b.machine.cpus})`,
          ],
          B,
        ),
      );
    }
    const p50s = (b) =>
      Object.entries(b.tools)
        .map(([tool, t]) => `${tool.split("/")[1]} ${t.p50 === null ? "-" : t.p50.toFixed(1)}`)
        .join(", ");
    for (const [label, b] of Object.entries(results.book_run)) {
      const servers = Object.entries(b.cpu.serversMs)
        .map(([name, ms]) => `${name} ${ms === null ? "-" : `${(ms / 1000).toFixed(1)} s`}`)
        .join(", ");
      log(
        `   ${label}: CPU in the run: book-run process (MCP clients) ${(b.cpu.bookRunProcessMs / 1000).toFixed(1)} s; emulators ${b.cpu.emulatorsMs === null ? "-" : `${(b.cpu.emulatorsMs / 1000).toFixed(1)} s`}; ${servers} (${b.cpu.perAccountMs.toFixed(1)} ms an account; CPU-bound ceiling ${b.cpu.cpu_bound_efficiency.toFixed(2)}). Whole run (spawn → exit): ${(b.wholeRunWallMs / 1000).toFixed(1)} s wall, ${b.cpu.wholeRunMs === null ? "-" : `${(b.cpu.wholeRunMs / 1000).toFixed(1)} s`} CPU. Load average ${b.loadAverage.before.map((l) => l.toFixed(2)).join(" ")} → ${b.loadAverage.after.map((l) => l.toFixed(2)).join(" ")}. Exactly-once ${b.checkPassed ? "passed" : "FAILED"}`,
      );
      log(`      p50 per call (ms): ${p50s(b)}`);
    }
    log(
      "   efficiency = ideal (path requests × 5 ms × accounts ÷ workers) ÷ run wall time; target ≥ 0.8 at 16 workers. CPU-bound ceiling = ideal ÷ (run CPU ÷ cores)",
    );
  }

  mkdirSync(join(ROOT, "bench"), { recursive: true });
  writeFileSync(RESULTS, `${JSON.stringify(results, null, 2)}\n`);
  log("\nwritten: bench/results.json");
} finally {
  await redis?.stop();
  rmSync(dir, { recursive: true, force: true });
}
