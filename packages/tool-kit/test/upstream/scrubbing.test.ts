import { afterEach, describe, expect, it } from "vitest";
import { toErrorEnvelope } from "../../src/errors/index.js";
import { company, getCompany, type Harness, harness, rejection, TOKEN } from "./harness.js";

let h: Harness;
afterEach(async () => {
  await h.close();
});

/** Everything of an error the model or a log could see. */
function visible(error: unknown): string {
  const e = error as Record<string, unknown>;
  return JSON.stringify({
    envelope: toErrorEnvelope(error),
    message: e.message,
    field: e.field,
    details: e.details,
    upstream: e.upstream,
  });
}

describe("secret scrubbing", () => {
  it("a token echoed in a 401 body reaches no error text and no log line", async () => {
    h = harness({
      requestIdOf: (_headers, body) => (body as { correlationId?: string } | undefined)?.correlationId,
      mapError: ({ body }) => {
        const b = body as { message: string; context: { token: string } };
        return { message: b.message, field: b.context.token, details: { echoed: b.context } };
      },
    });
    h.vendor.on("GET", "/companies/123").reply({
      status: 401,
      body: {
        message: `The token ${TOKEN} is invalid`,
        correlationId: `corr-${TOKEN}`,
        context: { token: TOKEN },
      },
    });
    const error = await rejection(h.client.request(getCompany));
    expect(error.code).toBe("PERMISSION_DENIED");
    expect(error.message).toBe("The token [REDACTED] is invalid");
    expect(visible(error)).not.toContain(TOKEN);

    const failed = h.logs.find((l) => l.msg === "upstream attempt failed");
    expect(failed).toBeDefined();
    expect(String(failed?.body)).toContain("[REDACTED]");
    expect(h.rawLogs.join("\n")).not.toContain(TOKEN);
  });

  it("never logs the request headers, so the token is in no success line either", async () => {
    h = harness();
    h.vendor.on("GET", "/companies/123").reply({ status: 200, body: company });
    await h.client.request(getCompany);
    expect(h.vendor.calls()[0]?.headers.authorization).toBe(`Bearer ${TOKEN}`);
    const ok = h.logs.find((l) => l.msg === "upstream call succeeded");
    expect(ok).toMatchObject({
      level: "debug",
      system: "vendor",
      operation: "companies.get",
      status: 200,
      attempt: 1,
    });
    expect(h.rawLogs.join("\n")).not.toContain(TOKEN);
    expect(h.rawLogs.join("\n")).not.toMatch(/authorization/i);
  });

  it("truncates a long mapper message to about 300 characters", async () => {
    h = harness({ mapError: () => ({ message: "x".repeat(5000) }) });
    h.vendor.on("GET", "/companies/123").reply({ status: 400 });
    const error = await rejection(h.client.request(getCompany));
    expect(error.message.length).toBeLessThanOrEqual(300);
  });
});
