import { describe, expect, it } from "vitest";
import { StartupError } from "../../src/config/index.js";
import { ToolError } from "../../src/errors/index.js";
import { createLogger } from "../../src/logging/index.js";
import { type IdentityCheck, verifyIdentity } from "../../src/upstream/index.js";

type FakeClient = { closed: boolean; level: string; close(): Promise<void> };

function check(read: () => Promise<string>, over: Partial<IdentityCheck<FakeClient>> = {}) {
  const lines: string[] = [];
  const clients: FakeClient[] = [];
  const logger = createLogger({ level: "info", write: (line) => lines.push(line) });
  const run = () =>
    verifyIdentity<FakeClient>({
      system: "Vendor",
      identity: "account",
      credentialNoun: "key",
      credentialVar: "VENDOR_API_KEY",
      expectedVar: "VENDOR_ACCOUNT",
      expected: "acme-staging",
      endpoint: "GET /whoami",
      openClient(checkLogger) {
        const client = {
          closed: false,
          level: checkLogger.level,
          async close() {
            client.closed = true;
          },
        };
        clients.push(client);
        return client;
      },
      read: () => read(),
      logger,
      ...over,
    });
  return { run, lines, clients };
}

describe("verifyIdentity", () => {
  it("returns the identity when it matches, with a client that logs only errors, closed after", async () => {
    const c = check(async () => "acme-staging");
    expect(await c.run()).toBe("acme-staging");
    expect(c.clients).toHaveLength(1);
    expect(c.clients[0]).toMatchObject({ closed: true, level: "error" });
    expect(c.lines.some((l) => l.includes("Vendor account verified"))).toBe(true);
  });

  it("refuses a credential of another identity, naming both and the variables", async () => {
    const c = check(async () => "acme-prod");
    const error = await c.run().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StartupError);
    expect((error as Error).message).toBe(
      "VENDOR_ACCOUNT is acme-staging but VENDOR_API_KEY belongs to account acme-prod; give this environment its own account's key",
    );
    expect(c.clients[0]!.closed).toBe(true);
  });

  it("compares with the check's own rule when it has one (a case-insensitive address)", async () => {
    const c = check(async () => "ACME-Staging", { matches: (a, b) => a.toLowerCase() === b.toLowerCase() });
    expect(await c.run()).toBe("ACME-Staging");
  });

  it("refuses a rejected credential with the status, and an unreachable vendor with the code", async () => {
    const rejected = check(async () => {
      throw new ToolError("PERMISSION_DENIED", "bad key", { upstream: { system: "vendor", status: 401 } });
    });
    await expect(rejected.run()).rejects.toThrow(
      "Vendor rejected VENDOR_API_KEY at the identity check (GET /whoami answered 401); expected a key of account acme-staging",
    );
    const down = check(async () => {
      throw new ToolError("UPSTREAM_UNAVAILABLE", "connection refused");
    });
    await expect(down.run()).rejects.toThrow(
      "could not check that VENDOR_API_KEY belongs to account acme-staging (GET /whoami: UPSTREAM_UNAVAILABLE: connection refused)",
    );
    expect(down.clients[0]!.closed).toBe(true);
    // Anything else thrown says nothing of itself (it could hold a vendor body).
    const odd = check(async () => {
      throw new Error("raw body with secret-abc");
    });
    const error = (await odd.run().catch((e: unknown) => e)) as Error;
    expect(error.message).toMatch(
      /^could not check that VENDOR_API_KEY belongs to account acme-staging \(GET \/whoami: INTERNAL: /,
    );
    expect(error.message).not.toContain("secret-abc");
  });
});
