import { createServer } from "node:http";
import type { AddressInfo } from "node:net";

/** An attribute value as OTLP/JSON carries it, flattened (int64 arrives as a string or a number). */
export type SpanAttributeValue = string | number | boolean | undefined;

/** One span received, decoded from OTLP/JSON. */
export interface CollectedSpan {
  traceId: string;
  spanId: string;
  /** Empty for a root span. */
  parentSpanId: string;
  traceState: string;
  name: string;
  /** OTLP's numbers: 1 internal, 2 server, 3 client. */
  kind: number;
  startMs: number;
  endMs: number;
  attributes: Record<string, SpanAttributeValue>;
  /** OTLP's status code: 0 unset, 1 ok, 2 error. */
  status: { code: number; message?: string };
  /** The resource attributes of the export it came in. */
  resource: Record<string, SpanAttributeValue>;
}

/** A running collector. */
export interface OtlpCollector {
  /** `http://127.0.0.1:<port>`: give it as `OTEL_EXPORTER_OTLP_ENDPOINT`. */
  readonly url: string;
  /** Every span received so far, in arrival order. */
  readonly spans: CollectedSpan[];
  /** Every request body received, as text (to look for what must never be exported). */
  readonly bodies: string[];
  close(): Promise<void>;
}

/**
 * A tiny OTLP/HTTP collector on 127.0.0.1 and a free port: it takes `POST /v1/traces` in the
 * JSON encoding (what `@opentelemetry/exporter-trace-otlp-http` sends), answers 200, and
 * keeps the spans decoded. Anything else is answered 404, a body that is not JSON 400.
 */
export async function startOtlpCollector(): Promise<OtlpCollector> {
  const spans: CollectedSpan[] = [];
  const bodies: string[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      if (req.method !== "POST" || req.url !== "/v1/traces") {
        res.writeHead(404).end();
        return;
      }
      const text = Buffer.concat(chunks).toString("utf8");
      bodies.push(text);
      try {
        spans.push(...decodeTraces(JSON.parse(text)));
      } catch {
        res.writeHead(400).end();
        return;
      }
      res.writeHead(200, { "content-type": "application/json" }).end("{}");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    spans,
    bodies,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

interface JsonKeyValue {
  key: string;
  value: Record<string, unknown>;
}

interface JsonSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  traceState?: string;
  name: string;
  kind: number;
  startTimeUnixNano: string | number;
  endTimeUnixNano: string | number;
  attributes?: JsonKeyValue[];
  status?: { code?: number; message?: string };
}

interface JsonExport {
  resourceSpans?: Array<{
    resource?: { attributes?: JsonKeyValue[] };
    scopeSpans?: Array<{ spans?: JsonSpan[] }>;
  }>;
}

/** The spans of one OTLP/JSON `ExportTraceServiceRequest`. */
export function decodeTraces(body: JsonExport): CollectedSpan[] {
  return (body.resourceSpans ?? []).flatMap((rs) => {
    const resource = attributesOf(rs.resource?.attributes);
    return (rs.scopeSpans ?? []).flatMap((ss) =>
      (ss.spans ?? []).map((span) => ({
        traceId: span.traceId,
        spanId: span.spanId,
        parentSpanId: span.parentSpanId ?? "",
        traceState: span.traceState ?? "",
        name: span.name,
        kind: span.kind,
        startMs: Number(BigInt(span.startTimeUnixNano) / 1_000_000n),
        endMs: Number(BigInt(span.endTimeUnixNano) / 1_000_000n),
        attributes: attributesOf(span.attributes),
        status: {
          code: span.status?.code ?? 0,
          ...(span.status?.message ? { message: span.status.message } : {}),
        },
        resource,
      })),
    );
  });
}

function attributesOf(list: JsonKeyValue[] | undefined): Record<string, SpanAttributeValue> {
  const out: Record<string, SpanAttributeValue> = {};
  for (const { key, value } of list ?? []) {
    if ("stringValue" in value) out[key] = value.stringValue as string;
    else if ("boolValue" in value) out[key] = value.boolValue as boolean;
    else if ("intValue" in value) out[key] = Number(value.intValue);
    else if ("doubleValue" in value) out[key] = Number(value.doubleValue);
    else out[key] = undefined;
  }
  return out;
}
