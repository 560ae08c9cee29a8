import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type RedisServerHandle,
  spawnHttpServer,
  spawnStdioServer,
  startRedisServer,
} from "../../src/testing/index.js";
import { TOKEN } from "./http-harness.js";

// A server pays at start only for what its transport and store need: over stdio nothing can
// scrape metrics, so prom-client is not loaded; the embedded store does not link ioredis, and
// Redis does not link node:sqlite's store. Checked on the modules the process really linked.
const here = dirname(fileURLToPath(import.meta.url));
const hooks = join(here, "..", "idempotency", "fixtures", "source-hooks.mjs");
const trace = join(here, "fixtures", "module-trace.mjs");
const server = join(here, "fixtures", "slow-server.mjs");
const dir = mkdtempSync(join(tmpdir(), "gtm-lazy-modules-"));
let redis: RedisServerHandle;
beforeAll(async () => {
  redis = await startRedisServer();
});
afterAll(async () => {
  await redis?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const nodeArgs = ["--import", hooks, "--import", trace];
const linked = (file: string) => readFileSync(file, "utf8");

describe("modules a server links at start", () => {
  it("over stdio on the embedded store: neither prom-client nor ioredis", async () => {
    const file = join(dir, "stdio-sqlite.txt");
    const child = await spawnStdioServer({
      entry: server,
      nodeArgs,
      env: { STORE: "1", MODULE_TRACE_FILE: file, GTM_STATE_URL: `sqlite:${join(dir, "a.sqlite")}` },
    });
    expect((await child.client.listTools()).tools.map((t) => t.name)).toEqual(["slow_read"]);
    await child.close();
    const modules = linked(file);
    // The trace itself works: the SDK and the embedded store were linked.
    expect(modules).toMatch(/@modelcontextprotocol\/server/);
    expect(modules).toMatch(/sqlite-store\.ts/);
    expect(modules).not.toMatch(/\/prom-client\//);
    expect(modules).not.toMatch(/\/ioredis\//);
  });

  it("over HTTP on Redis: prom-client for /metrics and ioredis, not the embedded store", async () => {
    const file = join(dir, "http-redis.txt");
    const child = await spawnHttpServer({
      entry: server,
      nodeArgs,
      env: {
        PATH: process.env.PATH ?? "",
        STORE: "1",
        MODULE_TRACE_FILE: file,
        GTM_HTTP_TOKENS: TOKEN,
        GTM_STATE_URL: redis.url,
      },
      timeoutMs: 45_000,
    });
    expect(await child.stop()).toBe(0);
    const modules = linked(file);
    expect(modules).toMatch(/\/prom-client\//);
    expect(modules).toMatch(/\/ioredis\//);
    expect(modules).not.toMatch(/sqlite-store\.ts/);
  });
});
