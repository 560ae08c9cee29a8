import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { runConformance, spawnHttpServer, TOOLS_ONLY_SCENARIOS } from "../../src/testing/index.js";

const here = dirname(fileURLToPath(import.meta.url));
const hooks = join(here, "..", "idempotency", "fixtures", "source-hooks.mjs");
const slowServer = join(here, "..", "server", "fixtures", "slow-server.mjs");
const TOKEN = "tok-conformance-0123456789";

describe("runConformance", () => {
  it("runs a conformance scenario through a proxy that adds the bearer token (crm runs them all)", async () => {
    const results = await runConformance({
      token: TOKEN,
      scenarios: ["dns-rebinding-protection"],
      start: (allowedHosts) =>
        spawnHttpServer({
          entry: slowServer,
          nodeArgs: ["--import", hooks],
          env: {
            PATH: process.env.PATH ?? "",
            GTM_HTTP_TOKENS: TOKEN,
            GTM_HTTP_ALLOWED_HOSTS: allowedHosts.join(","),
          },
        }),
    });
    expect(results.map((r) => r.scenario)).toEqual(["dns-rebinding-protection"]);
    expect(TOOLS_ONLY_SCENARIOS).toContain("dns-rebinding-protection");
    const failed = results
      .filter((r) => !r.passed)
      .map((r) => ({
        scenario: r.scenario,
        checks: r.checks.filter((c) => c.status !== "SUCCESS"),
        output: r.output.slice(-2000),
      }));
    expect(failed).toEqual([]);
    // The rebinding scenario checked both halves: a foreign Host refused, the server's own accepted.
    const rebinding = results.find((r) => r.scenario === "dns-rebinding-protection");
    expect(rebinding?.checks.map((c) => [c.id, c.status])).toEqual([
      ["localhost-host-rebinding-rejected", "SUCCESS"],
      ["localhost-host-valid-accepted", "SUCCESS"],
    ]);
  }, 240_000);

  it("reports a failing scenario: a server that refuses its own origin fails the rebinding scenario", async () => {
    const results = await runConformance({
      token: TOKEN,
      scenarios: ["dns-rebinding-protection"],
      // The proxy's addresses are not allowed: every request is refused with 403.
      start: () =>
        spawnHttpServer({
          entry: slowServer,
          nodeArgs: ["--import", hooks],
          env: { PATH: process.env.PATH ?? "", GTM_HTTP_TOKENS: TOKEN },
        }),
    });
    expect(results[0]?.passed).toBe(false);
    expect(results[0]?.checks.find((c) => c.id === "localhost-host-valid-accepted")?.status).toBe("FAILURE");
  }, 240_000);
});
