// Section 1 and 2: the same read and write tool served bare (SDK McpServer) and through the
// tool-kit pipeline (the example server) on each store, in process over the SDK's in-memory
// transport; the replay path against first executions; the store's own round trip beside them.

import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createMemoryBook, createServer } from "@gtm-mcp/example-server";
import { fingerprintArgs, openStore } from "@gtm-mcp/tool-kit/idempotency";
import { connectClient, createTestRuntime } from "@gtm-mcp/tool-kit/testing";
import { createBareServer } from "./bare-server.mjs";
import { measureCalls } from "./measure.mjs";

const READ = { name: "lookup_account", arguments: { account_id: "1001" } };
const write = (occurrence) => ({
  name: "tag_account",
  arguments: { account_id: "1001", tag: "bench", occurrence },
});

async function callOk(client, request) {
  const result = await client.callTool(request);
  if (result.isError) throw new Error(`${request.name} failed: ${result.content?.[0]?.text}`);
  return result;
}

/**
 * The store with a count of the calls made to it: each store method is one round trip (one
 * Lua script on Redis, one transaction on SQLite), so calls per write are round trips per write.
 */
function countingStore(store) {
  const counts = { calls: 0 };
  const counted = new Proxy(store, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver);
      if (typeof value !== "function") return value;
      return (...args) => {
        counts.calls += 1;
        return value.apply(target, args);
      };
    },
  });
  return { counted, counts };
}

/** Store calls per call over `n` calls of `call`. */
async function storeCallsPer(counts, n, call) {
  const before = counts.calls;
  for (let i = 0; i < n; i++) await call(i);
  return (counts.calls - before) / n;
}

/** Reads and first-execution writes through one server, and (pipeline only) replays. */
async function measureServer(server, { calls, replays, counts }) {
  const { client, close } = await connectClient(server, "bench");
  try {
    const reads = await measureCalls(() => callOk(client, READ), { calls });
    const run = Math.random().toString(36).slice(2);
    const writes = await measureCalls((i) => callOk(client, write(`${run}-${i}`)), { calls });
    let replay;
    let storeCalls;
    if (replays) {
      await callOk(client, write(`${run}-replayed`));
      replay = await measureCalls(() => callOk(client, write(`${run}-replayed`)), { calls });
      storeCalls = {
        read: await storeCallsPer(counts, 100, () => callOk(client, READ)),
        write: await storeCallsPer(counts, 100, (i) => callOk(client, write(`${run}-counted-${i}`))),
        replay: await storeCallsPer(counts, 100, () => callOk(client, write(`${run}-replayed`))),
      };
    }
    return { reads, writes, replay, storeCalls };
  } finally {
    await close();
  }
}

/**
 * What one store operation costs: on Redis a `PING` round trip (the network floor every script
 * call pays); on SQLite one claim (a `BEGIN IMMEDIATE` transaction with its fsync, since the
 * embedded store has no round trip to speak of).
 */
async function storeRoundTrip(store, kind, calls) {
  if (kind === "redis") return measureCalls(() => store.ping(), { calls });
  const { fingerprint, fieldHashes } = fingerprintArgs({ bench: true });
  const run = randomUUID();
  return measureCalls(
    (i) =>
      store.claim({
        key: `tag_account:${run}-${i}`,
        fingerprint,
        fieldHashes,
        owner: randomUUID(),
        leaseMs: 30_000,
        ttlMs: 3_600_000,
        caps: [],
      }),
    { calls },
  );
}

export async function benchPipeline({ redisUrl, calls }) {
  const dir = mkdtempSync(join(tmpdir(), "gtm-bench-pipeline-"));
  try {
    const bare = await measureServer(createBareServer(createMemoryBook()), { calls, replays: false });
    const stores = {};
    for (const [kind, url] of [
      ["redis", redisUrl],
      ["sqlite", `sqlite:${join(dir, "state.sqlite")}`],
    ]) {
      const store = await openStore({ url, server: "bench", env: "sandbox" });
      try {
        const { counted, counts } = countingStore(store);
        const { runtime } = createTestRuntime({ server: "bench", store: counted, caps: { writes: 1e9 } });
        const figures = await measureServer(createServer({ book: createMemoryBook(), runtime }), {
          calls,
          replays: true,
          counts,
        });
        const rtt = await storeRoundTrip(store, kind, calls);
        stores[kind] = { ...figures, storeRoundTrip: rtt };
      } finally {
        await store.close();
      }
    }
    return { bare, stores };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
