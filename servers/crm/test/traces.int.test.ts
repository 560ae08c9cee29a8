import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { type OtlpCollector, spawnStdioServer, startOtlpCollector, waitFor } from "@gtm-mcp/tool-kit/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type HubSpotStub, startHubSpotStub } from "./support/hubspot-stub.js";

const entry = join(dirname(fileURLToPath(import.meta.url)), "..", "dist", "main.js");
const TOKEN = "pat-na1-TRACE-CANARY-7c6b5a4f3e2d";
const PORTAL = 4242421;
const TRACE_ID = "5e1d2c3b4a5968778695a4b3c2d1e0f9";
const PARENT_SPAN = "1f2e3d4c5b6a7988";
const NOTE = "Trace canary: renewal call booked";

describe("the built CRM server exports traces over OTLP when an endpoint is set", () => {
  let dir: string;
  let stub: HubSpotStub;
  let collector: OtlpCollector;

  beforeAll(async () => {
    if (!existsSync(entry)) throw new Error(`${entry} is missing: run \`pnpm build\` first (pnpm test does)`);
    dir = mkdtempSync(join(tmpdir(), "crm-traces-"));
    stub = await startHubSpotStub({ portalId: PORTAL, token: TOKEN });
    collector = await startOtlpCollector();
  });

  afterAll(async () => {
    await stub?.close();
    await collector?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("puts a write and a read under the client's traceparent, with the HubSpot requests as children, and exports no argument or secret", async () => {
    const crm = await spawnStdioServer({
      entry,
      clientName: "e2e",
      env: {
        GTM_ENV: "staging",
        GTM_ENABLE_WRITES: "true",
        GTM_STATE_URL: `sqlite:${join(dir, "state.sqlite")}`,
        HUBSPOT_BASE_URL: stub.url,
        HUBSPOT_PORTAL_ID: String(PORTAL),
        HUBSPOT_ACCESS_TOKEN: TOKEN,
        OTEL_EXPORTER_OTLP_ENDPOINT: collector.url,
      },
    });
    const traceparent = `00-${TRACE_ID}-${PARENT_SPAN}-01`;
    try {
      const write = await crm.client.callTool({
        name: "log_activity_note",
        arguments: {
          account_id: "42",
          body: NOTE,
          occurrence: "2026-11-29",
          timestamp: "2026-11-29T09:00:00Z",
        },
        _meta: { traceparent },
      });
      expect(write.isError, crm.stderr()).toBeFalsy();
      const read = await crm.client.callTool({
        name: "get_account",
        arguments: { domain: "acme.com" },
        _meta: { traceparent },
      });
      expect(read.isError, crm.stderr()).toBeFalsy();
    } finally {
      await crm.close();
      await crm.closed;
    }
    // Exported by the shutdown's flush.
    await waitFor(
      () => collector.spans.filter((s) => s.name.startsWith("tools/call ")).length === 2,
      15_000,
      "both call spans at the collector",
    );
    const calls = collector.spans.filter((s) => s.name.startsWith("tools/call "));
    expect(calls.map((s) => s.name).sort()).toEqual([
      "tools/call get_account",
      "tools/call log_activity_note",
    ]);
    for (const call of calls) {
      expect(call).toMatchObject({ traceId: TRACE_ID, parentSpanId: PARENT_SPAN, kind: 2 });
      expect(call.attributes).toMatchObject({
        "gtm.server": "crm",
        "gtm.env": "staging",
        "gtm.outcome": "ok",
      });
      expect(call.resource).toMatchObject({
        "service.name": "gtm-mcp-crm",
        "deployment.environment.name": "staging",
      });
      const requests = collector.spans.filter((s) => s.parentSpanId === call.spanId);
      expect(requests.length, `requests under ${call.name}`).toBeGreaterThan(0);
      for (const request of requests) {
        expect(request).toMatchObject({ traceId: TRACE_ID, kind: 3 });
        expect(request.attributes).toMatchObject({
          "gtm.upstream.system": "hubspot",
          "server.address": "127.0.0.1",
        });
      }
    }
    const write = calls.find((s) => s.name === "tools/call log_activity_note");
    expect(write?.attributes["gtm.idempotency_key_hash"]).toMatch(/^[0-9a-f]{16}$/);
    // No span is made for the identity check at start: it is no tool call.
    expect(collector.spans.filter((s) => s.parentSpanId === "")).toEqual([]);
    const exported = collector.bodies.join("\n");
    for (const secret of [TOKEN, NOTE, "acme.com", "/crm/objects/"])
      expect(exported, secret).not.toContain(secret);
  });
});
