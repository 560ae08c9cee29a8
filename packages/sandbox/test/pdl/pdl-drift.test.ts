import { companySchema } from "@gtm-mcp/enrichment/upstream/company-enrich";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Sandbox, startSandbox } from "../../src/index.js";
import { call } from "../support/http.js";

// The PDL emulator's company records read by the enrichment server's own schema.

let sandbox: Sandbox;

beforeAll(async () => {
  sandbox = await startSandbox({ accounts: 200, vendors: ["pdl"], ports: { pdl: 0 } });
});
afterAll(() => sandbox.stop());

describe("PDL emulator answers, read by the enrichment server's schema", () => {
  it("a full record and a partial one", async () => {
    for (const record of [
      sandbox.book.enrichment.find((e) => !e.partial)!,
      sandbox.book.enrichment.find((e) => e.partial)!,
    ]) {
      const answer = await call(`${sandbox.urls.pdl}/v5/company/enrich?website=${record.domain}`, {
        headers: { "x-api-key": "k" },
      });
      expect(companySchema.safeParse(answer.body).success).toBe(true);
    }
  });
});
