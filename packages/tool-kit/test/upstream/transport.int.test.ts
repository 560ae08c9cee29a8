import { afterEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { createLogger } from "../../src/logging/index.js";
import { type HttpStub, startHttpStub, stubRoutes } from "../../src/testing/index.js";
import { createUpstreamClient, staticCredential, type UpstreamClient } from "../../src/upstream/index.js";
import { rejection, scope } from "./harness.js";

// Against a real node:http server on loopback (no MockAgent): proves that undici's real
// connection lifecycle is classified as the MockAgent tests assume.

let stub: HttpStub | undefined;
let client: UpstreamClient | undefined;
afterEach(async () => {
  await client?.close();
  await stub?.close();
  client = undefined;
  stub = undefined;
});

const schema = z.object({ id: z.string() });
const create = {
  method: "POST" as const,
  path: "/notes",
  body: { a: 1 },
  operation: "notes.create",
  safeToRepeat: false,
  schema,
};

function clientFor(url: string): UpstreamClient {
  return createUpstreamClient({
    system: "stub",
    baseUrl: `${url}/api`,
    credential: staticCredential("secret-token-123"),
    authHeaders: (s) => ({ "x-api-key": s }),
    logger: createLogger({ level: "silent" }),
    scrub: (t) => t,
    backoff: { initialMs: 1, maxMs: 5 },
    connectTimeoutMs: 500,
  });
}

describe("the client over a real socket", () => {
  it("sends JSON with auth and User-Agent and parses the answer; route params work", async () => {
    stub = await startHttpStub(
      stubRoutes({
        "POST /api/notes/:kind": (req) => ({ status: 201, body: { id: `${req.params.kind}-1` } }),
      }),
    );
    client = clientFor(stub.url);
    const res = await client.request({ ...create, path: "/notes/call" });
    expect(res).toMatchObject({ status: 201, body: { id: "call-1" } });
    expect(stub.requests[0]).toMatchObject({ method: "POST", path: "/api/notes/call", body: { a: 1 } });
    expect(stub.requests[0]?.headers["x-api-key"]).toBe("secret-token-123");
    expect(stub.requests[0]?.headers["user-agent"]).toMatch(/^gtm-mcp\/.+ \(\+stub\)$/);
  });

  it("a closed port is UPSTREAM_UNAVAILABLE before write, so even a create is retried", async () => {
    const closed = await startHttpStub(() => ({ status: 200 }));
    const url = closed.url;
    await closed.close();
    client = clientFor(url);
    const s = scope();
    const error = await rejection(client.request(create, s));
    expect(error).toMatchObject({ code: "UPSTREAM_UNAVAILABLE", sideEffect: "none" });
    expect(error.message).toContain("ECONNREFUSED");
    expect(s.stats.attempts).toBeGreaterThan(1);
  });

  it("a connection the server drops after reading a create is UPSTREAM_TIMEOUT, unknown, not re-sent", async () => {
    stub = await startHttpStub(stubRoutes({ "POST /api/notes": { drop: true } }));
    client = clientFor(stub.url);
    const s = scope();
    const error = await rejection(client.request(create, s));
    expect(error).toMatchObject({ code: "UPSTREAM_TIMEOUT", sideEffect: "unknown" });
    expect(stub.requests).toHaveLength(1);
    expect(s.stats.attempts).toBe(1);
  });

  it("a slow server is cut at the deadline", async () => {
    stub = await startHttpStub(() => ({ status: 200, body: { id: "1" }, delayMs: 2000 }));
    client = clientFor(stub.url);
    const started = Date.now();
    const error = await rejection(
      client.request({ ...create, path: "/x" }, scope({ deadline: Date.now() + 200 })),
    );
    expect(Date.now() - started).toBeLessThan(1000);
    expect(error).toMatchObject({ code: "UPSTREAM_TIMEOUT", sideEffect: "unknown" });
  });

  it("an unknown stub route answers 404", async () => {
    stub = await startHttpStub(stubRoutes({}));
    client = clientFor(stub.url);
    const error = await rejection(client.request({ ...create, path: "/nowhere" }));
    expect(error.code).toBe("NOT_FOUND");
  });
});
