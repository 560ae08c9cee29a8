// Idempotency store benchmark: prints figures, asserts nothing. Run after a build:
//   pnpm --filter @gtm-mcp/tool-kit build && pnpm --filter @gtm-mcp/tool-kit bench
// Starts its own redis-server (REDIS_SERVER_BIN or PATH) on a free port.
import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { Redis } from "ioredis";
import { fingerprintArgs } from "../dist/idempotency/index.js";
import { createRedisStore } from "../dist/idempotency/redis-store.js";
import { openSqliteStore } from "../dist/idempotency/sqlite-store.js";
import { startRedisServer } from "../dist/testing/index.js";

const REDIS_OPS = Number(process.env.BENCH_OPS ?? 5000);
const SQLITE_OPS = Number(process.env.BENCH_SQLITE_OPS ?? 2000);
const WARM_UP = 200;
const OUTCOME = { kind: "ok", result: { note_id: "n-1", idempotency_key: "k", replayed: false } };
const { fingerprint, fieldHashes } = fingerprintArgs({
  account_id: "1001",
  body: "Called; left a voicemail",
});
const caps = [{ name: "writes", runId: "bench", limit: 1e9 }];

function claimOf(key) {
  return { key, fingerprint, fieldHashes, owner: randomUUID(), leaseMs: 30_000, ttlMs: 3_600_000, caps };
}

/** Runs `op(i)` `n` times one after another; returns ops/s and mean latency in µs. */
async function measure(n, op) {
  for (let i = 0; i < WARM_UP; i++) await op(-1 - i);
  const started = process.hrtime.bigint();
  for (let i = 0; i < n; i++) await op(i);
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return { opsPerSec: n / seconds, meanUs: (seconds / n) * 1e6 };
}

function row(label, figures, baseline) {
  const ratio = baseline
    ? `  ${(baseline.opsPerSec / figures.opsPerSec).toFixed(2)}× the baseline's cost`
    : "";
  const ops = figures.opsPerSec.toFixed(0).padStart(7);
  console.log(`  ${label.padEnd(34)} ${ops} ops/s  ${figures.meanUs.toFixed(1).padStart(8)} µs mean${ratio}`);
}

async function scriptCalls(client) {
  const info = await client.info("commandstats");
  let calls = 0;
  for (const m of info.matchAll(/^cmdstat_(evalsha|eval):calls=(\d+)/gm)) calls += Number(m[2]);
  return calls;
}

async function benchRedis() {
  const redis = await startRedisServer();
  const client = new Redis(redis.url, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    commandTimeout: 1000,
  });
  await new Promise((resolve) => client.once("ready", resolve));
  // Count what the store sends on this connection: one command = one round trip here,
  // since every call below is awaited before the next is sent.
  let sent = 0;
  const sendCommand = client.sendCommand.bind(client);
  client.sendCommand = (command, ...rest) => {
    sent++;
    return sendCommand(command, ...rest);
  };
  const store = createRedisStore({ client, server: "bench", env: "bench" });
  const run = randomUUID();

  console.log(`Redis ${redis.url} (${REDIS_OPS} sequential operations each)`);
  const setNx = await measure(REDIS_OPS, (i) =>
    client.set(`bench:${run}:raw:${i}`, "1", "PX", 3_600_000, "NX"),
  );
  row("raw SET NX (baseline)", setNx);
  const write = await measure(REDIS_OPS, async (i) => {
    const claim = claimOf(`bench:${run}:w:${i}`);
    const result = await store.claim(claim);
    if (result.status !== "acquired") throw new Error(`unexpected ${result.status}`);
    await store.complete(claim.key, claim.owner, OUTCOME, claim.ttlMs);
  });
  row("claim + complete (a write)", write, setNx);
  const replay = await measure(REDIS_OPS, async (i) => {
    const result = await store.claim(claimOf(`bench:${run}:w:${Math.abs(i) % REDIS_OPS}`));
    if (result.status !== "replay") throw new Error(`unexpected ${result.status}`);
  });
  row("claim of a completed key (replay)", replay, setNx);

  const roundTrips = async (n, op) => {
    const scriptsBefore = await scriptCalls(client);
    const sentBefore = sent;
    for (let i = 0; i < n; i++) await op(i);
    const perOp = (sent - sentBefore) / n;
    return { perOp, scriptsPerOp: ((await scriptCalls(client)) - scriptsBefore) / n };
  };
  const counted = 1000;
  const w = await roundTrips(counted, async (i) => {
    const claim = claimOf(`bench:${run}:rt:${i}`);
    await store.claim(claim);
    await store.complete(claim.key, claim.owner, OUTCOME, claim.ttlMs);
  });
  const r = await roundTrips(counted, (i) => store.claim(claimOf(`bench:${run}:rt:${i}`)));
  console.log(
    `  round trips per write: ${w.perOp.toFixed(2)} (server saw ${w.scriptsPerOp.toFixed(2)} EVALSHA/EVAL per write)`,
  );
  console.log(
    `  round trips per replay: ${r.perOp.toFixed(2)} (server saw ${r.scriptsPerOp.toFixed(2)} EVALSHA/EVAL per replay)`,
  );
  await store.close();
  await client.quit();
  await redis.stop();
}

async function benchSqlite() {
  const dir = mkdtempSync(join(tmpdir(), "gtm-idem-bench-"));
  const path = join(dir, "state.sqlite");
  const store = openSqliteStore({ path, server: "bench", env: "bench" });
  // The baseline: one INSERT OR IGNORE on another connection to the same file, same pragmas.
  const raw = new DatabaseSync(path);
  raw.exec("PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL;");
  raw.exec("CREATE TABLE IF NOT EXISTS bench_raw (k TEXT PRIMARY KEY)");
  const insert = raw.prepare("INSERT OR IGNORE INTO bench_raw (k) VALUES (?)");

  console.log(`\nSQLite ${path} (WAL, synchronous=FULL; ${SQLITE_OPS} sequential operations each)`);
  const base = await measure(SQLITE_OPS, async (i) => insert.run(`raw:${i}`));
  row("raw INSERT OR IGNORE (baseline)", base);
  const write = await measure(SQLITE_OPS, async (i) => {
    const claim = claimOf(`w:${i}`);
    const result = await store.claim(claim);
    if (result.status !== "acquired") throw new Error(`unexpected ${result.status}`);
    await store.complete(claim.key, claim.owner, OUTCOME, claim.ttlMs);
  });
  row("claim + complete (a write)", write, base);
  const replay = await measure(SQLITE_OPS, async (i) => {
    const result = await store.claim(claimOf(`w:${Math.abs(i) % SQLITE_OPS}`));
    if (result.status !== "replay") throw new Error(`unexpected ${result.status}`);
  });
  row("claim of a completed key (replay)", replay, base);
  console.log("  per write: 2 write transactions (claim, complete); per replay: 1 read, no write lock");
  raw.close();
  await store.close();
  rmSync(dir, { recursive: true, force: true });
}

await benchRedis();
await benchSqlite();
