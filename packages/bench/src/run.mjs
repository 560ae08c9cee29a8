#!/usr/bin/env node
// `pnpm bench`: what the tool-kit's guarantees cost, side by side with a bare MCP SDK server,
// in one run on this machine. Prints a table and writes bench/results.json at the repository
// root. Figures are medians of repeated rounds with their spread; nothing here asserts.
// BENCH_CALLS (default 2000) sets the calls per round; REDIS_URL a Redis to use (else one is
// started from redis-server on a free port).
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { cpus, tmpdir } from "node:os";
import { join } from "node:path";
import { sandboxEnv, startSandbox } from "@gtm-mcp/sandbox";
import { startRedisServer } from "@gtm-mcp/tool-kit/testing";
import { fmt, row } from "./measure.mjs";
import { benchPipeline } from "./pipeline.mjs";
import { benchMemory, benchStartup, benchStdio, ROOT, SERVERS } from "./processes.mjs";
import { benchStores } from "./store-throughput.mjs";

const CALLS = Number(process.env.BENCH_CALLS ?? 2000);
const log = (line = "") => process.stdout.write(`${line}\n`);
const dir = mkdtempSync(join(tmpdir(), "gtm-bench-"));
const redis = process.env.REDIS_URL ? undefined : await startRedisServer();
const redisUrl = process.env.REDIS_URL ?? redis.url;
const sqliteUrl = (name) => `sqlite:${join(dir, `${name}.sqlite`)}`;
const results = {
  machine: {
    cpus: cpus().length,
    model: cpus()[0]?.model,
    node: process.version,
    at: new Date().toISOString(),
  },
};

try {
  log(
    `gtm-mcp benchmarks — ${results.machine.cpus} × ${results.machine.model}, Node ${process.version}, ${CALLS} calls per round`,
  );

  log("\n1. Pipeline overhead, in process (in-memory transport), zero-latency upstream");
  const p = await benchPipeline({ redisUrl, calls: CALLS });
  const W = [30, 12, 14, 14, 18];
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
    results.pipeline[kind] = {
      ...s,
      read_p50_ratio: readRatio,
      read_throughput_ratio: p.bare.reads.perSec / s.reads.perSec,
      write_extra_store_round_trips: writeExtraRoundTrips,
      replay_vs_first_execution_ratio: s.replay.p50 / s.writes.p50,
      replay_store_round_trips: replayRoundTrips,
    };
  }

  log("\n   over stdio (spawned processes; the pipeline on SQLite)");
  const stdio = await benchStdio({ stateUrl: sqliteUrl("stdio"), calls: Math.min(CALLS, 1000) });
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
  results.stdio = {
    ...stdio,
    read_p50_ratio: stdio.pipeline.reads.p50 / stdio.bare.reads.p50,
    write_p50_ratio: stdio.pipeline.writes.p50 / stdio.bare.writes.p50,
  };
  log(
    `   read p50 ${fmt.ratio(results.stdio.read_p50_ratio)} bare; write p50 ${fmt.ratio(results.stdio.write_p50_ratio)} bare`,
  );

  log("\n3. Store throughput (claims/s)");
  const stores = await benchStores({
    stores: { redis: redisUrl, sqlite: sqliteUrl("claims") },
    calls: CALLS,
  });
  const S = [10, 14, 14, 20];
  log(row(["store", "1 client", "16 clients", "2 processes × 16"], S));
  for (const [kind, s] of Object.entries(stores))
    log(row([kind, fmt.rate(s.one.perSec), fmt.rate(s.sixteen.perSec), fmt.rate(s.twoProcesses.perSec)], S));
  results.stores = stores;

  log("\n4/5. Start-up (spawn → initialize answered), RSS after start, tools/list size");
  const sandbox = await startSandbox({ accounts: 50, ports: { hubspot: 0, pdl: 0, snowflake: 0, gmail: 0 } });
  try {
    const env = sandboxEnv(sandbox.urls, sandbox.book);
    const perServer = Object.fromEntries(
      SERVERS.map((s) => [
        s,
        {
          ...env,
          GTM_STATE_URL: sqliteUrl(`start-${s}`),
          GTM_ENABLE_WRITES: "true",
          EMAIL_SEND_MODE: "confirm",
        },
      ]),
    );
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
  } finally {
    await sandbox.stop();
  }

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

  mkdirSync(join(ROOT, "bench"), { recursive: true });
  writeFileSync(join(ROOT, "bench", "results.json"), `${JSON.stringify(results, null, 2)}\n`);
  log("\nwritten: bench/results.json");
} finally {
  await redis?.stop();
  rmSync(dir, { recursive: true, force: true });
}
