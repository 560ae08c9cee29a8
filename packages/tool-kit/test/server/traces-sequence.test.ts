import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { openStore } from "../../src/idempotency/index.js";
import type { IdempotencyStore } from "../../src/idempotency/store.js";
import { createLogger, createScrubber } from "../../src/logging/index.js";
import { keyHash } from "../../src/observe/otel/index.js";
import { startTracing, type Tracing } from "../../src/server/index.js";
import {
  type CollectedSpan,
  connectClient,
  createTestRuntime,
  type MockVendor,
  mockVendor,
  type OtlpCollector,
  startOtlpCollector,
} from "../../src/testing/index.js";
import { createToolServer, defineTool, type ToolCallLine } from "../../src/tools/index.js";
import { createUpstreamClient, type UpstreamClient } from "../../src/upstream/index.js";

const BASE = "https://vendor.test/v1";
const TOKEN = "tok_traces_8c1e4f0a9b2d7e65";
// Values only the arguments (and the vendor's path and body) hold: never in a span.
const ACCOUNT = "acct-zeta-40417";
const OCCURRENCE = "renewal-call-q3-2026";
const NOTE = "Spoke with Dana about the renewal";
const MISSING = "acct-missing-77120";

const TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
const PARENT_SPAN = "00f067aa0ba902b7";
const TRACESTATE = "vendor1=opaque,gtm=7";

const SERVER = 2;
const CLIENT = 3;
const INTERNAL = 1;
const ERROR = 2;

function tools(client: UpstreamClient) {
  const addNote = defineTool({
    name: "add_note",
    title: "Add note",
    description: "Adds a note to an account.",
    kind: "write",
    input: z.object({
      account_id: z.string().describe("Account"),
      body: z.string().describe("Note"),
      occurrence: z.string().describe("Occurrence"),
    }),
    output: z.object({ note_id: z.string() }),
    idempotency: { key: (args) => ({ target: args.account_id, occurrence: args.occurrence }) },
    async handler(args, ctx) {
      const res = await client.request(
        {
          method: "POST",
          path: `/accounts/${args.account_id}/notes`,
          query: { note: args.body },
          body: { body: args.body },
          operation: "notes.create",
          safeToRepeat: false,
          schema: z.object({ note_id: z.string() }),
        },
        ctx.scope,
      );
      return res.body;
    },
  });
  const getAccount = defineTool({
    name: "get_account",
    title: "Get account",
    description: "Reads one account.",
    kind: "read",
    input: z.object({ account_id: z.string().describe("Account") }),
    output: z.object({ id: z.string() }),
    async handler(args, ctx) {
      const res = await client.request(
        {
          method: "GET",
          path: `/accounts/${args.account_id}`,
          operation: "accounts.get",
          safeToRepeat: true,
          schema: z.object({ id: z.string() }),
        },
        ctx.scope,
      );
      return res.body;
    },
  });
  return [addNote, getAccount];
}

describe("traces of tool calls through a real client, exported to an OTLP collector", () => {
  let dir: string;
  let store: IdempotencyStore;
  let vendor: MockVendor;
  let collector: OtlpCollector;
  let tracing: Tracing;
  const lines: ToolCallLine[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "traces-seq-"));
    vendor = mockVendor(BASE);
    collector = await startOtlpCollector();
    store = await openStore({ url: `sqlite:${join(dir, "state.db")}`, server: "test", env: "sandbox" });
    const started = await startTracing({
      server: "test",
      version: "1.2.3",
      gtmEnv: "sandbox",
      env: { OTEL_EXPORTER_OTLP_ENDPOINT: `${collector.url}/`, OTEL_RESOURCE_ATTRIBUTES: "team=gtm%20ops" },
    });
    if (started === undefined) throw new Error("tracing did not start with an endpoint set");
    tracing = started;
    const client = createUpstreamClient({
      system: "vendor",
      baseUrl: BASE,
      credential: { get: () => TOKEN },
      authHeaders: (secret) => ({ authorization: `Bearer ${secret}` }),
      logger: createLogger({ level: "silent" }),
      scrub: createScrubber(() => [TOKEN]).text,
      dispatcher: vendor.dispatcher,
      backoff: { initialMs: 1, maxMs: 5 },
    });
    const test = createTestRuntime({ store });
    test.runtime.tracer = tracing.tracer;
    test.runtime.onToolCall = (line) => lines.push(line);
    const connected = await connectClient(
      createToolServer({ name: "test", version: "0", tools: tools(client), runtime: test.runtime }),
    );

    // 1. One write with a retry: the vendor refuses the first attempt (429, nothing done).
    vendor.on("POST", `/accounts/${ACCOUNT}/notes`).replySequence([
      { status: 429, headers: { "retry-after": "0" }, body: { message: "slow down" } },
      { status: 201, body: { note_id: "n-1" } },
    ]);
    const write = await connected.client.callTool({
      name: "add_note",
      arguments: { account_id: ACCOUNT, body: NOTE, occurrence: OCCURRENCE },
      _meta: { traceparent: `00-${TRACE_ID}-${PARENT_SPAN}-01`, tracestate: TRACESTATE },
    });
    expect(write.isError).toBeFalsy();
    // 2. A read that fails (not found), with a malformed traceparent: a trace of its own.
    vendor.on("GET", `/accounts/${MISSING}`).reply({ status: 404, body: { message: "no such account" } });
    const read = await connected.client.callTool({
      name: "get_account",
      arguments: { account_id: MISSING },
      _meta: { traceparent: "00-not-a-trace-01" },
    });
    expect(read.isError).toBe(true);
    vendor.assertAllUsed();
    await connected.close();
    await client.close();
    // Flushes the batch: every span is at the collector when it resolves.
    await tracing.shutdown();
  });

  afterAll(async () => {
    await tracing?.shutdown();
    await store?.close();
    await vendor?.close();
    await collector?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const byName = (name: string) => collector.spans.filter((s) => s.name === name);
  const one = (name: string): CollectedSpan => {
    const found = byName(name);
    expect(found, `spans named ${name}`).toHaveLength(1);
    return found[0] as CollectedSpan;
  };

  it("exports the write's span tree: the call under the caller's traceparent, the request under it, one span per attempt", () => {
    const call = one("tools/call add_note");
    const line = lines.find((l) => l.tool === "add_note");
    expect(line?.idempotencyKey).toBeDefined();
    expect(call).toMatchObject({
      traceId: TRACE_ID,
      parentSpanId: PARENT_SPAN,
      traceState: TRACESTATE,
      kind: SERVER,
      status: { code: 0 },
    });
    expect(call.attributes).toEqual({
      "mcp.method.name": "tools/call",
      "gtm.tool": "add_note",
      "gtm.tool.kind": "write",
      "gtm.server": "test",
      "gtm.env": "sandbox",
      "gtm.outcome": "ok",
      "gtm.retryable": false,
      "gtm.replayed": false,
      "gtm.attempts": 2,
      "gtm.retried": true,
      "gtm.idempotency_key_hash": keyHash(line?.idempotencyKey ?? ""),
      "gtm.key_source": "occurrence",
    });
    expect(call.attributes["gtm.idempotency_key_hash"]).toMatch(/^[0-9a-f]{16}$/);

    const request = one("vendor notes.create");
    expect(request).toMatchObject({ traceId: TRACE_ID, parentSpanId: call.spanId, kind: CLIENT });
    expect(request.status.code).toBe(0);
    expect(request.attributes).toEqual({
      "gtm.upstream.system": "vendor",
      "gtm.upstream.operation": "notes.create",
      "http.request.method": "POST",
      "server.address": "vendor.test",
      "server.port": 443,
      "gtm.upstream.attempts": 2,
      "gtm.upstream.retries": 1,
      "http.response.status_code": 201,
    });

    const attempts = collector.spans
      .filter((s) => s.name === "upstream attempt" && s.parentSpanId === request.spanId)
      .sort(
        (a, b) => Number(a.attributes["gtm.upstream.attempt"]) - Number(b.attributes["gtm.upstream.attempt"]),
      );
    expect(attempts.map((a) => ({ kind: a.kind, status: a.status.code, attributes: a.attributes }))).toEqual([
      {
        kind: INTERNAL,
        status: ERROR,
        attributes: {
          "gtm.upstream.attempt": 1,
          "http.response.status_code": 429,
          "error.type": "RATE_LIMITED",
        },
      },
      {
        kind: INTERNAL,
        status: 0,
        attributes: {
          "gtm.upstream.attempt": 2,
          "http.request.resend_count": 1,
          "http.response.status_code": 201,
        },
      },
    ]);
    // The spans nest in time too: the attempts inside the request, the request inside the call.
    for (const attempt of attempts) {
      expect(attempt.startMs).toBeGreaterThanOrEqual(request.startMs - 1);
      expect(attempt.endMs).toBeLessThanOrEqual(request.endMs + 1);
    }
    expect(request.startMs).toBeGreaterThanOrEqual(call.startMs);
    expect(request.endMs).toBeLessThanOrEqual(call.endMs);
  });

  it("starts a trace of its own for a malformed traceparent, and marks a failed call and request as errors", () => {
    const call = one("tools/call get_account");
    expect(call.parentSpanId).toBe("");
    expect(call.traceId).not.toBe(TRACE_ID);
    expect(call.traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(call.status).toEqual({ code: ERROR, message: "NOT_FOUND" });
    expect(call.attributes).toMatchObject({
      "gtm.outcome": "NOT_FOUND",
      "gtm.retryable": false,
      "error.type": "NOT_FOUND",
    });
    expect(call.attributes).not.toHaveProperty("gtm.idempotency_key_hash");
    const request = one("vendor accounts.get");
    expect(request).toMatchObject({ traceId: call.traceId, parentSpanId: call.spanId, kind: CLIENT });
    expect(request.status).toEqual({ code: ERROR, message: "NOT_FOUND" });
    expect(request.attributes).toMatchObject({
      "gtm.upstream.attempts": 1,
      "gtm.upstream.retries": 0,
      "http.response.status_code": 404,
      "error.type": "NOT_FOUND",
    });
    expect(collector.spans).toHaveLength(7);
  });

  it("names the service, its version and environment in the resource, with OTEL_RESOURCE_ATTRIBUTES", () => {
    const resource = one("tools/call add_note").resource;
    expect(resource).toMatchObject({
      "service.name": "gtm-mcp-test",
      "service.version": "1.2.3",
      "deployment.environment.name": "sandbox",
      team: "gtm ops",
    });
  });

  it("exports no argument value, path, query, body, credential or idempotency key", () => {
    const exported = collector.bodies.join("\n");
    expect(exported.length).toBeGreaterThan(0);
    const key = lines.find((l) => l.tool === "add_note")?.idempotencyKey ?? "";
    for (const secret of [
      ACCOUNT,
      OCCURRENCE,
      NOTE,
      MISSING,
      TOKEN,
      key,
      "/accounts",
      "slow down",
      "no such account",
    ])
      expect(exported, secret).not.toContain(secret);
  });
});

describe("traces of calls running at the same time", () => {
  it("keeps each call's upstream request under its own call span", async () => {
    const vendor = mockVendor(BASE);
    const collector = await startOtlpCollector();
    const tracing = await startTracing({
      server: "test",
      version: "0",
      gtmEnv: "sandbox",
      env: { OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: `${collector.url}/v1/traces` },
    });
    if (tracing === undefined) throw new Error("tracing did not start with an endpoint set");
    const client = createUpstreamClient({
      system: "vendor",
      baseUrl: BASE,
      credential: { get: () => TOKEN },
      authHeaders: (secret) => ({ authorization: `Bearer ${secret}` }),
      logger: createLogger({ level: "silent" }),
      scrub: createScrubber(() => [TOKEN]).text,
      dispatcher: vendor.dispatcher,
    });
    const test = createTestRuntime({});
    test.runtime.tracer = tracing.tracer;
    const connected = await connectClient(
      createToolServer({ name: "test", version: "0", tools: tools(client), runtime: test.runtime }),
    );
    try {
      // The first answers last: the two calls overlap for the whole of the first's request.
      vendor.on("GET", "/accounts/a1").reply({ status: 200, body: { id: "a1" }, delayMs: 200 });
      vendor.on("GET", "/accounts/a2").reply({ status: 200, body: { id: "a2" } });
      const traces = ["11111111111111111111111111111111", "22222222222222222222222222222222"];
      const results = await Promise.all(
        ["a1", "a2"].map((id, i) =>
          connected.client.callTool({
            name: "get_account",
            arguments: { account_id: id },
            _meta: { traceparent: `00-${traces[i]}-${PARENT_SPAN}-01` },
          }),
        ),
      );
      expect(results.map((r) => r.isError ?? false)).toEqual([false, false]);
      await connected.close();
      await tracing.shutdown();
      const calls = collector.spans.filter((s) => s.name === "tools/call get_account");
      const requests = collector.spans.filter((s) => s.name === "vendor accounts.get");
      expect(calls.map((s) => s.traceId).sort()).toEqual(traces);
      expect(requests).toHaveLength(2);
      for (const request of requests) {
        const parent = calls.find((c) => c.spanId === request.parentSpanId);
        expect(parent?.traceId).toBe(request.traceId);
      }
    } finally {
      await tracing.shutdown();
      await client.close();
      await vendor.close();
      await collector.close();
    }
  });
});
