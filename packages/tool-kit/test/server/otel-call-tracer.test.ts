import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type OtelTracing, startOtelTracing } from "../../src/observe/otel/index.js";
import { type OtlpCollector, startOtlpCollector } from "../../src/testing/index.js";

describe("the call tracer on its own", () => {
  let collector: OtlpCollector;
  let tracing: OtelTracing;

  beforeAll(async () => {
    collector = await startOtlpCollector();
    tracing = startOtelTracing({
      url: `${collector.url}/v1/traces`,
      server: "unit",
      version: "0",
      env: "sandbox",
      processEnv: {},
    });
    const line = { kind: "read" as const, retryable: false, replayed: false, attempts: 1, retried: false };
    // A cached read.
    await tracing.tracer.startCall("cached_read", {}).run(async () => {
      tracing.tracer.recordCall({ ...line, tool: "cached_read", outcome: "ok", cache: "mixed" });
    });
    // A call the server answered itself (shutdown): no line, the envelope in the result's _meta.
    await tracing.tracer
      .startCall("abandoned_write", {})
      .run(async () => ({ isError: true, _meta: { error: { code: "OUTCOME_UNKNOWN", retryable: true } } }));
    // A client's cancel is no failure of the server.
    await tracing.tracer.startCall("cancelled_read", {}).run(async () => {
      tracing.tracer.recordCall({ ...line, tool: "cancelled_read", outcome: "cancelled" });
    });
    // A line recorded outside any call's scope is dropped, not pinned on some other span.
    tracing.tracer.recordCall({ ...line, tool: "stray", outcome: "INTERNAL" });
    await tracing.shutdown();
  });

  afterAll(async () => {
    await tracing?.shutdown();
    await collector?.close();
  });

  const span = (tool: string) => collector.spans.find((s) => s.name === `tools/call ${tool}`);

  it("records a cached read's cache outcome", () => {
    expect(span("cached_read")?.attributes).toMatchObject({ "gtm.cache": "mixed", "gtm.outcome": "ok" });
    expect(span("cached_read")?.status.code).toBe(0);
  });

  it("marks a call answered without its line with the answer's code, as an error", () => {
    expect(span("abandoned_write")?.attributes).toMatchObject({
      "gtm.outcome": "OUTCOME_UNKNOWN",
      "gtm.retryable": true,
      "error.type": "OUTCOME_UNKNOWN",
    });
    expect(span("abandoned_write")?.status).toEqual({ code: 2, message: "OUTCOME_UNKNOWN" });
  });

  it("leaves a cancelled call's status unset, and drops a line recorded outside a call", () => {
    expect(span("cancelled_read")?.attributes["gtm.outcome"]).toBe("cancelled");
    expect(span("cancelled_read")?.status.code).toBe(0);
    expect(collector.spans).toHaveLength(3);
    expect(JSON.stringify(collector.spans)).not.toContain("INTERNAL");
  });
});
