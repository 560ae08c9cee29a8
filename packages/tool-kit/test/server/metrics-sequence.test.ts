import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { openStore } from "../../src/idempotency/index.js";
import type { IdempotencyStore } from "../../src/idempotency/store.js";
import { createLogger, createScrubber } from "../../src/logging/index.js";
import { createServerMetrics, type ServerMetrics } from "../../src/server/metrics-entry.js";
import { connectClient, createTestRuntime, type MockVendor, mockVendor } from "../../src/testing/index.js";
import { createToolServer, defineTool } from "../../src/tools/index.js";
import { createUpstreamClient, type UpstreamClient } from "../../src/upstream/index.js";

const BASE = "https://vendor.test/v1";
const NOW = Date.parse("2026-11-29T12:00:00Z");
const TOKEN = "tok_metrics_5f8a2c9e1b7d4a03";

const company = z.object({ id: z.string(), name: z.string() });

function tools(client: UpstreamClient) {
  const getCompany = defineTool({
    name: "get_company",
    title: "Get company",
    description: "Reads one company.",
    kind: "read",
    input: z.object({ id: z.string().describe("Id") }),
    output: z.object({ id: z.string(), name: z.string() }),
    async handler({ id }, ctx) {
      const res = await client.request(
        {
          method: "GET",
          path: `/companies/${id}`,
          operation: "companies.get",
          safeToRepeat: true,
          schema: company,
        },
        ctx.scope,
      );
      return res.body;
    },
  });
  const addNote = defineTool({
    name: "add_note",
    title: "Add note",
    description: "Adds a note.",
    kind: "write",
    input: z.object({ id: z.string().describe("Id"), occurrence: z.string().describe("Occurrence") }),
    output: z.object({ note_id: z.string() }),
    idempotency: { key: (args) => ({ target: args.id, occurrence: args.occurrence }) },
    async handler({ id }, ctx) {
      const res = await client.request(
        {
          method: "POST",
          path: "/notes",
          body: { id },
          operation: "notes.create",
          safeToRepeat: false,
          schema: z.object({ note_id: z.string() }),
        },
        ctx.scope,
      );
      return res.body;
    },
  });
  return [getCompany, addNote];
}

describe("metrics after a scripted sequence of calls through a real client", () => {
  let dir: string;
  let store: IdempotencyStore;
  let vendor: MockVendor;
  let metrics: ServerMetrics;
  let text: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "metrics-seq-"));
    vendor = mockVendor(BASE);
    metrics = createServerMetrics(
      { server: "test", env: "sandbox" },
      { now: () => NOW, processMetrics: false },
    );
    store = metrics.instrumentStore(
      await openStore({ url: `sqlite:${join(dir, "state.db")}`, server: "test", env: "sandbox" }),
    );
    const client = createUpstreamClient({
      system: "vendor",
      baseUrl: BASE,
      // Expires in exactly one day from the metrics' clock.
      credential: { get: () => TOKEN, expiresAt: () => NOW + 86_400_000 },
      authHeaders: (secret) => ({ authorization: `Bearer ${secret}` }),
      logger: createLogger({ level: "silent" }),
      scrub: createScrubber(() => [TOKEN]).text,
      dispatcher: vendor.dispatcher,
      backoff: { initialMs: 1, maxMs: 5 },
    });
    const test = createTestRuntime({ store, caps: { writes: 1 } });
    test.runtime.onToolCall = metrics.observeToolCall;
    metrics.setCapLimits(test.runtime.caps);
    const connected = await connectClient(
      createToolServer({ name: "test", version: "0", tools: tools(client), runtime: test.runtime }),
    );
    const call = async (name: string, args: Record<string, unknown>) =>
      connected.client.callTool({ name, arguments: args });

    // 1. A retry: 503, then the company.
    vendor
      .on("GET", "/companies/1")
      .replySequence([{ status: 503 }, { status: 200, body: { id: "1", name: "Acme" } }]);
    expect((await call("get_company", { id: "1" })).isError).toBeFalsy();
    // 2. A drift: the vendor's answer lost its name.
    vendor.on("GET", "/companies/2").reply({ status: 200, body: { id: "2" } });
    expect((await call("get_company", { id: "2" })).isError).toBe(true);
    // 3. A write, then its replay.
    vendor.on("POST", "/notes").reply({ status: 201, body: { note_id: "n1" } });
    expect((await call("add_note", { id: "1", occurrence: "a" })).isError).toBeFalsy();
    expect((await call("add_note", { id: "1", occurrence: "a" })).isError).toBeFalsy();
    // 4. A cap hit: a second write in a run whose cap is one.
    expect((await call("add_note", { id: "1", occurrence: "b" })).isError).toBe(true);
    // The cap read-back after a claim is not awaited by the call; a scrape waits for it.
    text = await metrics.render();
    vendor.assertAllUsed();
    await connected.close();
    await client.close();
  });

  afterAll(async () => {
    metrics?.close();
    await store?.close();
    await vendor?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** The sample lines of one metric name, sorted. */
  const samples = (name: string) =>
    text
      .split("\n")
      .filter((line) => line.startsWith(`${name}{`) || line.startsWith(`${name} `))
      .sort();

  it("counts tool calls, retried calls and contract violations by tool", () => {
    expect(samples("gtm_tool_calls_total")).toEqual(
      [
        'gtm_tool_calls_total{tool="get_company",outcome="ok",replayed="false",server="test",env="sandbox"} 1',
        'gtm_tool_calls_total{tool="get_company",outcome="UPSTREAM_CONTRACT_VIOLATION",replayed="false",server="test",env="sandbox"} 1',
        'gtm_tool_calls_total{tool="add_note",outcome="ok",replayed="false",server="test",env="sandbox"} 1',
        'gtm_tool_calls_total{tool="add_note",outcome="ok",replayed="true",server="test",env="sandbox"} 1',
        'gtm_tool_calls_total{tool="add_note",outcome="CAP_EXCEEDED",replayed="false",server="test",env="sandbox"} 1',
      ].sort(),
    );
    expect(samples("gtm_tool_calls_retried_total")).toEqual(
      [
        'gtm_tool_calls_retried_total{tool="get_company",server="test",env="sandbox"} 1',
        'gtm_tool_calls_retried_total{tool="add_note",server="test",env="sandbox"} 0',
      ].sort(),
    );
    expect(samples("gtm_tool_contract_violations_total")).toEqual(
      [
        'gtm_tool_contract_violations_total{tool="get_company",server="test",env="sandbox"} 1',
        'gtm_tool_contract_violations_total{tool="add_note",server="test",env="sandbox"} 0',
      ].sort(),
    );
  });

  it("counts upstream requests, attempts and retries by status class, and the drift by operation", () => {
    expect(samples("gtm_upstream_requests_total")).toEqual(
      [
        'gtm_upstream_requests_total{system="vendor",operation="companies.get",status_class="2xx",server="test",env="sandbox"} 2',
        'gtm_upstream_requests_total{system="vendor",operation="notes.create",status_class="2xx",server="test",env="sandbox"} 1',
      ].sort(),
    );
    expect(samples("gtm_upstream_attempts_total")).toEqual(
      [
        'gtm_upstream_attempts_total{system="vendor",operation="companies.get",status_class="5xx",server="test",env="sandbox"} 1',
        'gtm_upstream_attempts_total{system="vendor",operation="companies.get",status_class="2xx",server="test",env="sandbox"} 2',
        'gtm_upstream_attempts_total{system="vendor",operation="notes.create",status_class="2xx",server="test",env="sandbox"} 1',
      ].sort(),
    );
    expect(samples("gtm_upstream_retries_total")).toEqual(
      [
        'gtm_upstream_retries_total{system="vendor",operation="companies.get",server="test",env="sandbox"} 1',
        'gtm_upstream_retries_total{system="vendor",operation="notes.create",server="test",env="sandbox"} 0',
      ].sort(),
    );
    expect(samples("gtm_upstream_contract_violations_total")).toEqual([
      'gtm_upstream_contract_violations_total{system="vendor",operation="companies.get",server="test",env="sandbox"} 1',
    ]);
    expect(samples("gtm_upstream_breaker_state")).toEqual([
      'gtm_upstream_breaker_state{system="vendor",server="test",env="sandbox"} 0',
    ]);
  });

  it("shows the cap's use and limit, the credential's expiry and the store's calls", () => {
    expect(samples("gtm_cap_used")).toEqual(['gtm_cap_used{cap="writes",server="test",env="sandbox"} 1']);
    expect(samples("gtm_cap_limit")).toEqual(['gtm_cap_limit{cap="writes",server="test",env="sandbox"} 1']);
    expect(samples("gtm_credential_expiry_seconds")).toEqual([
      'gtm_credential_expiry_seconds{credential="vendor",renewed="true",server="test",env="sandbox"} 86400',
    ]);
    // Three claims (acted, replayed, refused by the cap), one completion, no failure.
    expect(
      samples("gtm_store_operation_duration_seconds_count").filter((l) => l.includes('"claim"')),
    ).toEqual([
      'gtm_store_operation_duration_seconds_count{server="test",env="sandbox",operation="claim"} 3',
    ]);
    expect(
      samples("gtm_store_operation_duration_seconds_count").filter((l) => l.includes('"complete"')),
    ).toEqual([
      'gtm_store_operation_duration_seconds_count{server="test",env="sandbox",operation="complete"} 1',
    ]);
    expect(samples("gtm_store_errors_total")).toEqual([]);
    expect(samples("gtm_store_up")).toEqual(['gtm_store_up{server="test",env="sandbox"} 1']);
    expect(samples("gtm_review_queue_open")).toEqual([
      'gtm_review_queue_open{server="test",env="sandbox"} 0',
    ]);
  });
});
