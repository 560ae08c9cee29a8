// Section 3: claims per second on each store, at 1 and 16 concurrent callers in one process,
// and 16 each in two processes sharing the store.
import { fork } from "node:child_process";
import { randomUUID } from "node:crypto";
import { fileURLToPath } from "node:url";
import { fingerprintArgs, openStore } from "@gtm-mcp/tool-kit/idempotency";
import { measureCalls } from "./measure.mjs";

const { fingerprint, fieldHashes } = fingerprintArgs({ account_id: "1001", body: "bench" });

function claimOf(key) {
  return {
    key,
    fingerprint,
    fieldHashes,
    owner: randomUUID(),
    leaseMs: 30_000,
    ttlMs: 3_600_000,
    caps: [{ name: "writes", runId: "bench", limit: 1e9 }],
  };
}

async function claims(url, { calls, concurrency, rounds }) {
  const store = await openStore({ url, server: "bench", env: "sandbox" });
  try {
    const run = randomUUID();
    return await measureCalls(
      async (i) => {
        const result = await store.claim(claimOf(`log_activity_note:${run}-${i}`));
        if (result.status !== "acquired") throw new Error(`unexpected ${result.status}`);
      },
      { calls, concurrency, rounds },
    );
  } finally {
    await store.close();
  }
}

/**
 * Two processes claiming at once: each opens the store and warms up, then both start on a
 * signal; the rate is all their claims over the longer of their two elapsed times.
 */
async function acrossProcesses(url, calls) {
  const self = fileURLToPath(import.meta.url);
  const children = [0, 1].map(() =>
    fork(self, ["--child", url, String(calls)], { stdio: ["ignore", "ignore", "inherit", "ipc"] }),
  );
  const message = (child) =>
    new Promise((resolve, reject) => {
      child.once("message", resolve);
      child.once("error", reject);
      child.once("exit", (code) => reject(new Error(`child exited ${code}`)));
    });
  await Promise.all(children.map(message));
  const done = children.map(message);
  for (const child of children) child.send("go");
  const elapsed = await Promise.all(done);
  for (const child of children) child.kill();
  return { perSec: (2 * calls) / (Math.max(...elapsed) / 1000) };
}

export async function benchStores({ stores, calls }) {
  const out = {};
  for (const [kind, url] of Object.entries(stores)) {
    out[kind] = {
      one: await claims(url, { calls, concurrency: 1, rounds: 3 }),
      sixteen: await claims(url, { calls, concurrency: 16, rounds: 3 }),
      twoProcesses: await acrossProcesses(url, calls),
    };
  }
  return out;
}

if (process.argv[2] === "--child") {
  const [, , , url, n] = process.argv;
  const store = await openStore({ url, server: "bench", env: "sandbox" });
  const run = randomUUID();
  const claim = (i) => store.claim(claimOf(`log_activity_note:${run}-${i}`));
  for (let i = 0; i < 100; i++) await claim(-1 - i);
  process.once("message", async () => {
    let next = 0;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: 16 }, async () => {
        while (next < Number(n)) await claim(next++);
      }),
    );
    process.send?.(performance.now() - started);
  });
  process.send?.("ready");
}
