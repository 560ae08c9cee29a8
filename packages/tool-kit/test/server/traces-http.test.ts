import { Client, StreamableHTTPClientTransport } from "@modelcontextprotocol/client";
import { afterEach, describe, expect, it } from "vitest";
import { startTracing, type Tracing } from "../../src/server/index.js";
import { type OtlpCollector, startOtlpCollector } from "../../src/testing/index.js";
import { startHttp, TOKEN } from "./http-harness.js";

const TRACE_ID = "0af7651916cd43dd8448eb211c80319c";
const PARENT_SPAN = "b7ad6b7169203331";

const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A traced HTTP server, and a client whose every request carries `headers`. */
async function tracedServer(headers: Record<string, string>) {
  const collector: OtlpCollector = await startOtlpCollector();
  cleanups.push(() => collector.close());
  const tracing: Tracing | undefined = await startTracing({
    server: "test",
    version: "0.0.0",
    gtmEnv: "sandbox",
    env: { OTEL_EXPORTER_OTLP_ENDPOINT: collector.url },
  });
  if (tracing === undefined) throw new Error("tracing did not start with an endpoint set");
  const http = await startHttp();
  http.runtime.tracer = tracing.tracer;
  cleanups.push(() => http.serving.close());
  const client = new Client({ name: "traced-http", version: "1.0.0" });
  await client.connect(
    new StreamableHTTPClientTransport(new URL(`${http.origin}/mcp`), {
      authProvider: { token: async () => TOKEN },
      requestInit: { headers },
    }),
  );
  cleanups.push(() => client.close());
  return { client, collector, tracing };
}

describe("traces over Streamable HTTP", () => {
  it("take the caller's traceparent and tracestate headers as the call's parent when _meta has none", async () => {
    const { client, collector, tracing } = await tracedServer({
      traceparent: `00-${TRACE_ID}-${PARENT_SPAN}-01`,
      tracestate: "edge=1",
    });
    const result = await client.callTool({ name: "count_contacts", arguments: { contacts: [] } });
    expect(result.isError).toBeFalsy();
    await tracing.shutdown();
    const call = collector.spans.find((s) => s.name === "tools/call count_contacts");
    expect(call).toMatchObject({ traceId: TRACE_ID, parentSpanId: PARENT_SPAN, traceState: "edge=1" });
  });

  it("prefer _meta's trace context to the headers'", async () => {
    const { client, collector, tracing } = await tracedServer({
      traceparent: `00-${TRACE_ID}-${PARENT_SPAN}-01`,
    });
    const metaTrace = "11111111111111111111111111111111";
    await client.callTool({
      name: "count_contacts",
      arguments: { contacts: [] },
      _meta: { traceparent: `00-${metaTrace}-2222222222222222-01` },
    });
    await tracing.shutdown();
    const call = collector.spans.find((s) => s.name === "tools/call count_contacts");
    expect(call).toMatchObject({ traceId: metaTrace, parentSpanId: "2222222222222222" });
  });
});
