import { describe, expect, it } from "vitest";
import { PATHS } from "../support/api-version.js";
import { connectCrm } from "../support/connect.js";
import { company, errorBody, rateLimited, searchPage } from "../support/hubspot-fixtures.js";

const SEARCH = PATHS.search("companies");

describe("HubSpot failures as tool errors", () => {
  it("SECONDLY: waits the second and retries inside the call; persisting, RATE_LIMITED after 1000 ms", async () => {
    const crm = await connectCrm();
    crm.hubspot
      .on("POST", SEARCH)
      .replySequence([rateLimited("SECONDLY"), { status: 200, body: searchPage([]) }]);
    const started = Date.now();
    const ok = await crm.call("search_accounts", {});
    expect(ok.error).toBeUndefined();
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);

    crm.hubspot.on("POST", SEARCH).reply(rateLimited("SECONDLY"), { persist: true });
    const limited = await crm.call("search_accounts", {});
    expect(limited.error).toMatchObject({
      code: "RATE_LIMITED",
      retryable: true,
      retryAfterMs: 1000,
      upstream: { system: "hubspot", status: 429, requestId: "aaaa0000-rate-limit" },
    });
    expect(limited.error!.message).toContain("SECONDLY");
  });

  it("TEN_SECONDLY_ROLLING: RATE_LIMITED with retryAfterMs 10000, not waited out inside the call", async () => {
    const crm = await connectCrm();
    crm.hubspot.on("POST", SEARCH).reply(rateLimited("TEN_SECONDLY_ROLLING"));
    const { error } = await crm.call("search_accounts", {});
    expect(error).toMatchObject({ code: "RATE_LIMITED", retryable: true, retryAfterMs: 10000 });
    expect(crm.hubspot.calls()).toHaveLength(1);
  });

  it("DAILY: QUOTA_EXHAUSTED, terminal, not retried", async () => {
    const crm = await connectCrm();
    crm.hubspot.on("POST", SEARCH).reply(rateLimited("DAILY"));
    const { error } = await crm.call("search_accounts", {});
    expect(error).toMatchObject({ code: "QUOTA_EXHAUSTED", retryable: false });
    expect(crm.hubspot.calls()).toHaveLength(1);
  });

  it("a lasting outage is UPSTREAM_UNAVAILABLE, retryable, after bounded retries", async () => {
    const crm = await connectCrm();
    crm.hubspot
      .on("POST", SEARCH)
      .reply({ status: 503, body: errorBody("UNAVAILABLE", "down") }, { persist: true });
    const { error } = await crm.call("search_accounts", {});
    expect(error).toMatchObject({
      code: "UPSTREAM_UNAVAILABLE",
      retryable: true,
      sideEffect: "none",
      upstream: { status: 503 },
    });
    expect(crm.hubspot.calls()).toHaveLength(3);
  });

  it("a missing scope is PERMISSION_DENIED naming the scope", async () => {
    const crm = await connectCrm();
    crm.hubspot.on("POST", SEARCH).reply({
      status: 403,
      body: errorBody(
        "MISSING_SCOPES",
        "This app hasn't been granted all required scopes to make this call.",
        {
          errors: [
            {
              message: "One or more of the following scopes are required.",
              context: { requiredGranularScopes: ["crm.objects.companies.read"] },
            },
          ],
        },
      ),
    });
    const { error } = await crm.call("search_accounts", {});
    expect(error).toMatchObject({ code: "PERMISSION_DENIED", retryable: false });
    expect(error!.message).toContain("crm.objects.companies.read");
  });

  it("keeps a canary token out of every result and log line, even when HubSpot echoes it", async () => {
    const canary = "pat-na1-CANARY-7f3c9e1d-5b2a-4c8e";
    const crm = await connectCrm({ token: canary });
    crm.hubspot.on("POST", SEARCH).reply({
      status: 401,
      body: errorBody("INVALID_AUTHENTICATION", `The OAuth token ${canary} is expired or invalid`, {
        correlationId: canary,
      }),
    });
    // The write checks that its company exists, then the create's 401 echoes the token.
    crm.hubspot.on("GET", PATHS.object("companies", "1")).reply({ status: 200, body: company("1") });
    crm.hubspot.on("POST", PATHS.objects("notes")).reply({ status: 401, body: `bad token ${canary}` });

    const read = await crm.call("search_accounts", { name: canary.slice(0, 20) });
    expect(read.error).toMatchObject({ code: "PERMISSION_DENIED", retryable: false });
    const write = await crm.call("log_activity_note", { account_id: "1", body: "hi", occurrence: "x" });
    expect(write.error).toMatchObject({ code: "PERMISSION_DENIED" });

    // The token really was sent (so the check is not vacuous), and appears nowhere the model or the logs see.
    expect(crm.hubspot.calls()[0]!.headers.authorization).toBe(`Bearer ${canary}`);
    expect(crm.lines.length).toBeGreaterThan(0);
    for (const text of [JSON.stringify(read.result), JSON.stringify(write.result), ...crm.lines])
      expect(text).not.toContain(canary);
  });
});
