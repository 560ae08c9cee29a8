import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type HttpStub,
  type OtlpCollector,
  spawnStdioServer,
  startHttpStub,
  startOtlpCollector,
  waitFor,
} from "../../src/testing/index.js";

const here = dirname(fileURLToPath(import.meta.url));
// Over the built tool-kit (dist/), as a server ships: the test task builds it first.
const TRACED_SERVER = join(here, "fixtures", "traced-server.mjs");
const RECORD_LOADS = join(here, "fixtures", "record-loads.mjs");
const TOKEN = "tok_stdio_2d9f7a61c0e4b853";
const TRACE_ID = "0af7651916cd43dd8448eb211c80319c";
const PARENT_SPAN = "b7ad6b7169203331";

describe("tracing in a server process over stdio", () => {
  let dir: string;
  let vendor: HttpStub;
  let collector: OtlpCollector;
  let attempts = 0;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "traces-stdio-"));
    collector = await startOtlpCollector();
    // Every first attempt of a note is refused (429, nothing done); the second creates it.
    vendor = await startHttpStub(() => {
      attempts += 1;
      return attempts % 2 === 1
        ? { status: 429, headers: { "retry-after": "0" }, body: { message: "slow down" } }
        : { status: 201, body: { note_id: `n-${attempts}` } };
    });
  });

  afterAll(async () => {
    await vendor?.close();
    await collector?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** Spawns the traced server with the load recorder, makes one write, and closes it. */
  async function runOnce(name: string, otel: Record<string, string>) {
    const loadLog = join(dir, `${name}.loads`);
    const server = await spawnStdioServer({
      entry: TRACED_SERVER,
      nodeArgs: ["--import", RECORD_LOADS],
      env: {
        GTM_ENV: "sandbox",
        GTM_STATE_URL: `sqlite:${join(dir, `${name}.sqlite`)}`,
        VENDOR_URL: vendor.url,
        VENDOR_TOKEN: TOKEN,
        LOAD_LOG: loadLog,
        ...otel,
      },
    });
    const result = await server.client.callTool({
      name: "add_note",
      arguments: { account_id: `acct-${name}`, occurrence: "q3" },
      _meta: { traceparent: `00-${TRACE_ID}-${PARENT_SPAN}-01` },
    });
    await server.close();
    await server.closed;
    const loads = (existsSync(loadLog) ? readFileSync(loadLog, "utf8").split("\n").filter(Boolean) : []).map(
      (line) => {
        const [specifier = "", from = ""] = line.split(" ");
        return { specifier, from };
      },
    );
    return { result, loads, stderr: server.stderr() };
  }

  it("loads no OpenTelemetry module when no OTLP endpoint is set", async () => {
    const { result, loads, stderr } = await runOnce("off", {});
    expect(result.isError, stderr).toBeFalsy();
    // The recorder ran (it saw the MCP SDK)…
    expect(loads.map((l) => l.specifier)).toContain("@modelcontextprotocol/server");
    // …and no OpenTelemetry package but the API, which prom-client (the metrics) requires
    // whatever tracing says: the SDK, the exporter and the tool-kit's tracer stay unread.
    const otel = loads.filter((l) => l.specifier.startsWith("@opentelemetry/"));
    expect(otel.map((l) => l.specifier)).toEqual(otel.map(() => "@opentelemetry/api"));
    for (const load of otel) expect(load.from).toMatch(/\/node_modules\/prom-client\/lib\//);
    expect(loads.filter((l) => l.from.includes("/observe/otel/"))).toEqual([]);
    expect(collector.spans).toEqual([]);
  });

  it("with OTEL_EXPORTER_OTLP_ENDPOINT, loads it and exports the call's spans under the client's traceparent before exit", async () => {
    const { result, loads, stderr } = await runOnce("on", {
      OTEL_EXPORTER_OTLP_ENDPOINT: collector.url,
      OTEL_SERVICE_NAME: "crm-blue",
    });
    expect(result.isError, stderr).toBeFalsy();
    const fromTracer = loads.filter((l) => l.from.includes("/dist/observe/otel/")).map((l) => l.specifier);
    expect(fromTracer).toEqual(
      expect.arrayContaining(["@opentelemetry/sdk-trace", "@opentelemetry/exporter-trace-otlp-http"]),
    );
    // Exported at shutdown (the batch's 5 s delay had not come): the flush is in the sequence.
    await waitFor(() => collector.spans.length >= 4, 10_000, "the spans at the collector");
    const call = collector.spans.find((s) => s.name === "tools/call add_note");
    const request = collector.spans.find((s) => s.name === "vendor notes.create");
    expect(call).toMatchObject({ traceId: TRACE_ID, parentSpanId: PARENT_SPAN });
    expect(call?.attributes).toMatchObject({
      "gtm.server": "traced",
      "gtm.attempts": 2,
      "gtm.outcome": "ok",
    });
    expect(call?.resource).toMatchObject({
      "service.name": "crm-blue",
      "service.version": "0.4.2",
      "deployment.environment.name": "sandbox",
    });
    expect(request).toMatchObject({ traceId: TRACE_ID, parentSpanId: call?.spanId });
    expect(request?.attributes).toMatchObject({ "gtm.upstream.attempts": 2, "server.address": "127.0.0.1" });
    expect(
      collector.spans.filter((s) => s.name === "upstream attempt" && s.parentSpanId === request?.spanId),
    ).toHaveLength(2);
    const exported = collector.bodies.join("\n");
    for (const secret of [TOKEN, "acct-on", "/accounts"]) expect(exported).not.toContain(secret);
  });

  it("refuses to start (exit 2, one line) when the endpoint is not a URL", async () => {
    await expect(
      spawnStdioServer({
        entry: TRACED_SERVER,
        env: {
          GTM_ENV: "sandbox",
          GTM_STATE_URL: `sqlite:${join(dir, "bad.sqlite")}`,
          VENDOR_URL: vendor.url,
          OTEL_EXPORTER_OTLP_ENDPOINT: "collector:4318",
        },
      }),
    ).rejects.toThrow(/OTEL_EXPORTER_OTLP_ENDPOINT.*http\(s\) URL/);
  });
});
