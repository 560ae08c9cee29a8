import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, inject, it } from "vitest";
import { z } from "zod";
import { openStore } from "../../src/idempotency/index.js";
import { createLogger, createScrubber } from "../../src/logging/index.js";
import { createServerMetrics, type ServerMetrics } from "../../src/server/metrics-entry.js";
import { mockVendor } from "../../src/testing/index.js";
import { createUpstreamClient, reportCredentialExpiry, staticCredential } from "../../src/upstream/index.js";

const NOW = Date.parse("2026-11-29T12:00:00Z");
const TOKEN = "tok_gauges_5f8a2c9e1b7d4a03";
const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function newMetrics(): ServerMetrics {
  const metrics = createServerMetrics(
    { server: "g", env: "staging" },
    { now: () => NOW, processMetrics: false },
  );
  cleanups.push(() => metrics.close());
  return metrics;
}

const sample = (text: string, name: string) =>
  text.split("\n").filter((line) => line.startsWith(`${name}{`) || line.startsWith(`${name} `));

describe("metrics gauges", () => {
  it("shows a breaker that opened, and the request it refused", async () => {
    const metrics = newMetrics();
    const vendor = mockVendor("https://down.test");
    vendor.on("GET", "/x").reply({ status: 503 }, { persist: true });
    const client = createUpstreamClient({
      system: "downstream",
      baseUrl: "https://down.test",
      credential: staticCredential(TOKEN),
      authHeaders: (secret) => ({ authorization: `Bearer ${secret}` }),
      logger: createLogger({ level: "silent" }),
      scrub: createScrubber(() => [TOKEN]).text,
      dispatcher: vendor.dispatcher,
      breaker: { consecutiveFailures: 1, halfOpenAfterMs: 600_000 },
      backoff: { initialMs: 1, maxMs: 2, maxAttempts: 2 },
    });
    cleanups.push(() => vendor.close());
    const req = {
      method: "GET",
      path: "/x",
      operation: "x.get",
      safeToRepeat: true,
      schema: z.unknown(),
    } as const;
    await expect(client.request(req)).rejects.toMatchObject({ code: "UPSTREAM_UNAVAILABLE" });
    await expect(client.request(req)).rejects.toMatchObject({ code: "UPSTREAM_UNAVAILABLE" });
    const text = await metrics.render();
    expect(sample(text, "gtm_upstream_breaker_state")).toEqual([
      'gtm_upstream_breaker_state{system="downstream",server="g",env="staging"} 2',
    ]);
    expect(sample(text, "gtm_upstream_requests_total").sort()).toEqual(
      [
        'gtm_upstream_requests_total{system="downstream",operation="x.get",status_class="5xx",server="g",env="staging"} 1',
        'gtm_upstream_requests_total{system="downstream",operation="x.get",status_class="refused",server="g",env="staging"} 1',
      ].sort(),
    );
    expect(sample(text, "gtm_upstream_retries_total")).toEqual([
      'gtm_upstream_retries_total{system="downstream",operation="x.get",server="g",env="staging"} 1',
    ]);
  });

  it("shows a reported credential expiry and a _FILE secret's age", async () => {
    const metrics = newMetrics();
    const dir = mkdtempSync(join(tmpdir(), "metrics-secret-"));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const file = join(dir, "token");
    writeFileSync(file, TOKEN);
    const changed = new Date(NOW - 3_600_000);
    utimesSync(file, changed, changed);
    metrics.watchSecretFiles(() => [{ name: "GMAIL_REFRESH_TOKEN", file }]);
    reportCredentialExpiry("snowflake", NOW + 7 * 86_400_000 - 1000);
    const text = await metrics.render();
    expect(sample(text, "gtm_secret_file_age_seconds")).toEqual([
      'gtm_secret_file_age_seconds{secret="GMAIL_REFRESH_TOKEN",server="g",env="staging"} 3600',
    ]);
    expect(sample(text, "gtm_credential_expiry_seconds")).toEqual([
      'gtm_credential_expiry_seconds{credential="snowflake",renewed="false",server="g",env="staging"} 604799',
    ]);
  });

  it("reports a provider's expiry after each attempt, as renewed unless the provider says it is not", async () => {
    const metrics = newMetrics();
    const vendor = mockVendor("https://pat.test");
    vendor.on("GET", "/x").reply({ status: 200, body: {} }, { persist: true });
    cleanups.push(() => vendor.close());
    const clientWith = (
      system: string,
      credential: Parameters<typeof createUpstreamClient>[0]["credential"],
    ) =>
      createUpstreamClient({
        system,
        baseUrl: "https://pat.test",
        credential,
        authHeaders: (secret) => ({ authorization: `Bearer ${secret}` }),
        logger: createLogger({ level: "silent" }),
        scrub: createScrubber(() => [TOKEN]).text,
        dispatcher: vendor.dispatcher,
      });
    const req = {
      method: "GET",
      path: "/x",
      operation: "x.get",
      safeToRepeat: true,
      schema: z.unknown(),
    } as const;
    await clientWith("oauth", { get: () => TOKEN, expiresAt: () => NOW + 3_600_000 }).request(req);
    await clientWith("pat", { get: () => TOKEN, expiresAt: () => NOW + 86_400_000, renews: false }).request(
      req,
    );
    const text = await metrics.render();
    expect(sample(text, "gtm_credential_expiry_seconds").sort()).toEqual([
      'gtm_credential_expiry_seconds{credential="oauth",renewed="true",server="g",env="staging"} 3600',
      'gtm_credential_expiry_seconds{credential="pat",renewed="false",server="g",env="staging"} 86400',
    ]);
  });

  it.each([
    [
      "embedded",
      () => {
        const dir = mkdtempSync(join(tmpdir(), "metrics-review-"));
        cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
        return `sqlite:${join(dir, "s.db")}`;
      },
    ],
    ["redis", () => inject("redisUrl")],
  ])("counts open reviews on the %s store", async (_kind, url) => {
    const metrics = newMetrics();
    // A server name of its own: the Redis is shared by the whole run.
    const server = `g-${randomUUID()}`;
    const store = metrics.instrumentStore(await openStore({ url: url(), server, env: "staging" }));
    cleanups.push(() => store.close());
    const error = { code: "UPSTREAM_REJECTED", message: "no", retryable: false, sideEffect: "none" } as const;
    await store.addReview({ tool: "t", idempotencyKey: "k1", args: {}, error });
    const id = await store.addReview({ tool: "t", idempotencyKey: "k2", args: {}, error });
    expect(sample(await metrics.render(), "gtm_review_queue_open")).toEqual([
      'gtm_review_queue_open{server="g",env="staging"} 2',
    ]);
    await store.resolveReview(id, "fixed by hand");
    expect(sample(await metrics.render(), "gtm_review_queue_open")).toEqual([
      'gtm_review_queue_open{server="g",env="staging"} 1',
    ]);
  });

  it("counts the failures of a store that does not answer, and shows it down", async () => {
    const metrics = newMetrics();
    const store = metrics.instrumentStore(
      await openStore({ url: "redis://127.0.0.1:1", server: "g", env: "staging" }),
    );
    cleanups.push(() => store.close());
    await expect(store.capUsage("writes", "r")).rejects.toMatchObject({ code: "STORE_UNAVAILABLE" });
    const text = await metrics.render();
    expect(sample(text, "gtm_store_errors_total")).toEqual([
      'gtm_store_errors_total{operation="capUsage",server="g",env="staging"} 1',
    ]);
    expect(sample(text, "gtm_store_up")).toEqual(['gtm_store_up{server="g",env="staging"} 0']);
  });
});
