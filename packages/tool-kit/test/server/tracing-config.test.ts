import { ROOT_CONTEXT, trace } from "@opentelemetry/api";
import { describe, expect, it } from "vitest";
import { ConfigError } from "../../src/config/index.js";
import {
  parentContext,
  parseResourceAttributes,
  resourceAttributes,
  samplerFromEnv,
  shortReason,
} from "../../src/observe/otel/index.js";
import { tracesUrl } from "../../src/server/index.js";

describe("tracesUrl: whether tracing is on, and where spans go", () => {
  it("is off with no endpoint, with OTEL_SDK_DISABLED=true, and with OTEL_TRACES_EXPORTER=none", () => {
    expect(tracesUrl({})).toBeUndefined();
    expect(tracesUrl({ OTEL_EXPORTER_OTLP_ENDPOINT: "  " })).toBeUndefined();
    expect(
      tracesUrl({ OTEL_EXPORTER_OTLP_ENDPOINT: "http://c:4318", OTEL_SDK_DISABLED: "TRUE" }),
    ).toBeUndefined();
    expect(
      tracesUrl({ OTEL_EXPORTER_OTLP_ENDPOINT: "http://c:4318", OTEL_TRACES_EXPORTER: "none" }),
    ).toBeUndefined();
  });

  it("appends /v1/traces to the base endpoint, and takes the traces endpoint as given", () => {
    expect(tracesUrl({ OTEL_EXPORTER_OTLP_ENDPOINT: "http://c:4318" })).toBe("http://c:4318/v1/traces");
    expect(tracesUrl({ OTEL_EXPORTER_OTLP_ENDPOINT: "https://c/otlp/" })).toBe("https://c/otlp/v1/traces");
    expect(
      tracesUrl({
        OTEL_EXPORTER_OTLP_ENDPOINT: "http://c:4318",
        OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: "http://t:9999/custom",
      }),
    ).toBe("http://t:9999/custom");
  });

  it("refuses an endpoint that is not an http(s) URL, naming the variable", () => {
    expect(() => tracesUrl({ OTEL_EXPORTER_OTLP_ENDPOINT: "collector:4318" })).toThrow(ConfigError);
    expect(() => tracesUrl({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: "not a url" })).toThrow(
      /OTEL_EXPORTER_OTLP_TRACES_ENDPOINT/,
    );
  });
});

describe("resource attributes", () => {
  const identity = { server: "crm", version: "1.0.0", env: "staging" };

  it("defaults service.name to gtm-mcp-<server>, with the version and GTM_ENV", () => {
    expect(resourceAttributes(identity, {})).toEqual({
      "service.name": "gtm-mcp-crm",
      "service.version": "1.0.0",
      "deployment.environment.name": "staging",
    });
  });

  it("lets OTEL_RESOURCE_ATTRIBUTES add and override, and OTEL_SERVICE_NAME win over both", () => {
    const env = {
      OTEL_RESOURCE_ATTRIBUTES: "service.name=from-attrs,k8s.namespace.name=gtm,note=a%2Cb%20c",
      OTEL_SERVICE_NAME: "crm-eu",
    };
    expect(resourceAttributes(identity, env)).toEqual({
      "service.name": "crm-eu",
      "service.version": "1.0.0",
      "deployment.environment.name": "staging",
      "k8s.namespace.name": "gtm",
      note: "a,b c",
    });
    expect(
      resourceAttributes(identity, { OTEL_RESOURCE_ATTRIBUTES: "service.name=from-attrs" }),
    ).toMatchObject({
      "service.name": "from-attrs",
    });
  });

  it("skips malformed pairs rather than refusing", () => {
    expect(parseResourceAttributes("=x,novalue,bad=%E0%A4%A,ok=1")).toEqual({ ok: "1" });
  });
});

describe("parentContext: the caller's traceparent in _meta", () => {
  const valid = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

  it("takes a valid traceparent (and tracestate) as a remote parent", () => {
    const span = trace.getSpanContext(parentContext({ traceparent: valid, tracestate: "a=1" }));
    expect(span).toMatchObject({
      traceId: "4bf92f3577b34da6a3ce929d0e0e4736",
      spanId: "00f067aa0ba902b7",
      traceFlags: 1,
      isRemote: true,
    });
    expect(span?.traceState?.get("a")).toBe("1");
  });

  it.each([
    ["no _meta", undefined],
    ["a string _meta", "x"],
    ["no traceparent", { progressToken: 1 }],
    ["a number", { traceparent: 7 }],
    ["garbage", { traceparent: "00-not-a-trace-01" }],
    ["an all-zero trace id", { traceparent: "00-00000000000000000000000000000000-00f067aa0ba902b7-01" }],
    ["upper-case hex", { traceparent: valid.toUpperCase() }],
    ["version ff", { traceparent: `ff${valid.slice(2)}` }],
  ])("ignores %s: a new root", (_label, meta) => {
    expect(parentContext(meta)).toBe(ROOT_CONTEXT);
  });
});

describe("samplerFromEnv: OTEL_TRACES_SAMPLER and its ratio", () => {
  const named = (env: NodeJS.ProcessEnv, warnings: string[] = []) =>
    samplerFromEnv(env, (text) => warnings.push(text)).toString();

  it("defaults to parent-based, always on", () => {
    expect(named({})).toMatch(/^ParentBased\{root=AlwaysOnSampler,/);
  });

  it("builds each standard sampler", () => {
    expect(named({ OTEL_TRACES_SAMPLER: "always_off" })).toBe("AlwaysOffSampler");
    expect(named({ OTEL_TRACES_SAMPLER: "always_on" })).toBe("AlwaysOnSampler");
    expect(named({ OTEL_TRACES_SAMPLER: "traceidratio", OTEL_TRACES_SAMPLER_ARG: "0.25" })).toBe(
      "TraceIdRatioBased{0.25}",
    );
    expect(
      named({ OTEL_TRACES_SAMPLER: "parentbased_traceidratio", OTEL_TRACES_SAMPLER_ARG: "0.1" }),
    ).toMatch(/^ParentBased\{root=TraceIdRatioBased\{0.1\},/);
  });

  it("falls back with a warning on an unknown name or a ratio out of range", () => {
    const warnings: string[] = [];
    expect(named({ OTEL_TRACES_SAMPLER: "jaeger_remote" }, warnings)).toMatch(
      /^ParentBased\{root=AlwaysOnSampler,/,
    );
    expect(named({ OTEL_TRACES_SAMPLER: "traceidratio", OTEL_TRACES_SAMPLER_ARG: "2" }, warnings)).toBe(
      "TraceIdRatioBased{1}",
    );
    expect(warnings).toEqual([
      'OTEL_TRACES_SAMPLER "jaeger_remote" is not supported; using parentbased_always_on',
      "OTEL_TRACES_SAMPLER_ARG must be a ratio from 0 to 1; using 1",
    ]);
  });
});

describe("shortReason: the SDK's diagnostics without a stack", () => {
  it("keeps the message and code of an error, a serialised error, or the first line of text", () => {
    const error = Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:9"), { code: "ECONNREFUSED" });
    expect(shortReason(error)).toBe("connect ECONNREFUSED 127.0.0.1:9");
    const serialised = JSON.stringify({ stack: error.stack, message: "Bad Request", code: "400" });
    expect(shortReason(serialised)).toBe("Bad Request (400)");
    expect(shortReason("first line\n    at frame (file.js:1:1)")).toBe("first line");
    expect(shortReason("{not json")).toBe("{not json");
  });
});
