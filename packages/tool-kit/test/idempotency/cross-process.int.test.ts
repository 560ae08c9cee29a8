import { type ChildProcessWithoutNullStreams, spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, inject, it } from "vitest";
import { fingerprintArgs } from "../../src/idempotency/canonical.js";
import { openStore } from "../../src/idempotency/open-store.js";
import type { IdempotencyStore } from "../../src/idempotency/store.js";
import { sleep } from "./store-harness.js";

const FIXTURES = fileURLToPath(new URL("./fixtures/", import.meta.url));
const dir = mkdtempSync(join(tmpdir(), "gtm-idem-xproc-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Child {
  process: ChildProcessWithoutNullStreams;
  /** The next line the child prints. */
  line(): Promise<string>;
}

/** Starts a store process (a separate Node running the store's source) and waits until it is ready. */
async function startChild(orders: Record<string, unknown>): Promise<Child> {
  const child = spawn(
    process.execPath,
    [
      "--import",
      join(FIXTURES, "source-hooks.mjs"),
      join(FIXTURES, "store-child.mjs"),
      JSON.stringify(orders),
    ],
    { stdio: ["pipe", "pipe", "pipe"] },
  );
  let stderr = "";
  child.stderr.on("data", (chunk) => {
    stderr += chunk;
  });
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  const line = async () => {
    const next = await lines.next();
    if (next.done) throw new Error(`store child exited early: ${stderr.trim()}`);
    return next.value;
  };
  expect(await line()).toBe("ready");
  return { process: child, line };
}

function locations(): Array<[string, () => string]> {
  return [
    ["two processes sharing one SQLite file", () => `sqlite:${join(dir, `race-${randomUUID()}.sqlite`)}`],
    ["two processes sharing Redis", () => inject("redisUrl")],
  ];
}

describe.each(locations())("%s", (_name, makeUrl) => {
  const opened: IdempotencyStore[] = [];
  afterAll(async () => {
    await Promise.all(opened.map((store) => store.close()));
  });

  it("acquire each of 50 raced keys exactly once in total, and all agree on the outcome", async () => {
    const url = makeUrl();
    const server = `x-${randomUUID().slice(0, 8)}`;
    const keys = Array.from({ length: 50 }, (_, i) => `send_email:${i}`);
    const orders = { url, server, mode: "race", keys, claimsPerKey: 2 };
    const children = await Promise.all([
      startChild({ ...orders, label: "p1" }),
      startChild({ ...orders, label: "p2" }),
    ]);
    const startAt = Date.now() + 150;
    for (const child of children) child.process.stdin.write(`go ${startAt}\n`);
    const reports = (await Promise.all(
      children.map(async (child) => JSON.parse(await child.line())),
    )) as Array<Array<{ key: string; status: string }>>;

    const store = await openStore({ url, server, env: "test" });
    opened.push(store);
    const wins = new Map<string, number>();
    for (const key of keys) {
      const byProcess = reports.map((report) => report.filter((r) => r.key === key).map((r) => r.status));
      const acquirers = byProcess.flatMap((statuses, i) =>
        statuses.filter((s) => s === "acquired").map(() => `p${i + 1}`),
      );
      expect(acquirers, key).toHaveLength(1);
      for (const s of byProcess.flat()) expect(["acquired", "in_progress", "replay"]).toContain(s);
      expect(byProcess.flat()).toHaveLength(4);
      // The stored outcome is the one the single acquirer wrote.
      const record = await store.get(key);
      expect(record).toMatchObject({
        state: "completed",
        outcome: { kind: "ok", result: { by: acquirers[0] } },
      });
      wins.set(acquirers[0]!, (wins.get(acquirers[0]!) ?? 0) + 1);
    }
    // The race was real: both processes won keys, so each also lost some to the other.
    expect([...wins.keys()].sort()).toEqual(["p1", "p2"]);
  });

  it("hand a key held by a SIGKILLed process to the next claimer as unknown once its lease lapses", async () => {
    const url = makeUrl();
    const server = `k-${randomUUID().slice(0, 8)}`;
    const key = "create_note:killed";
    const child = await startChild({ url, server, mode: "hold", keys: [key], leaseMs: 400 });
    child.process.stdin.write("go\n");
    const held = JSON.parse(await child.line()) as { status: string; owner: string };
    expect(held.status).toBe("acquired");
    child.process.kill("SIGKILL");

    const store = await openStore({ url, server, env: "test" });
    opened.push(store);
    const { fingerprint, fieldHashes } = fingerprintArgs({ key });
    const claim = () =>
      store.claim({
        key,
        fingerprint,
        fieldHashes,
        owner: randomUUID(),
        leaseMs: 30_000,
        ttlMs: 60_000,
        caps: [],
      });
    expect((await claim()).status).toBe("in_progress");
    await sleep(500);
    expect(await claim()).toMatchObject({ status: "unknown", previousOwner: held.owner });
  });
});
