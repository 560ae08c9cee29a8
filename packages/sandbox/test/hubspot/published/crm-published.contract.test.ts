import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { HUBSPOT_API_VERSIONS } from "../../../src/hubspot/validation-rules.js";
import { type Sandbox, startSandbox } from "../../../src/index.js";
import { crmScenarios } from "../../e2e/crm-scenarios.js";
import { type SpawnedServer, spawnServer } from "../../e2e/spawn-server.js";
import { ALLOWED_DEVIATIONS, allowedBy } from "./allow-list.js";
import { type Exchange, OpenApiContract, type Violation } from "./openapi-contract.js";
import { type RecordingProxy, startRecordingProxy } from "./recording-proxy.js";
import { loadSpecs } from "./spec-files.js";

// Every request the crm server sends and every answer the HubSpot emulator gives, over the
// crm end-to-end scenarios on each HubSpot API version, checked against HubSpot's published
// OpenAPI descriptions (spec-files.ts). Any violation outside the allow-list fails, and so
// does an allow-list entry that matched nothing.

const contract = new OpenApiContract(
  loadSpecs().map(({ file, doc }) => ({ version: file.version, name: file.api, doc })),
);
const recorded: Array<{ version: string; exchange: Exchange }> = [];

describe.each(HUBSPOT_API_VERSIONS)(
  "the crm scenarios through a recording proxy, HUBSPOT_API_VERSION=%s",
  (version) => {
    let sandbox: Sandbox;
    let proxy: RecordingProxy;
    let crm: SpawnedServer;
    beforeAll(async () => {
      sandbox = await startSandbox({ accounts: 120, vendors: ["hubspot"], ports: { hubspot: 0 } });
      proxy = await startRecordingProxy(sandbox.urls.hubspot!);
      crm = await spawnServer("crm", {
        ...sandbox.env,
        HUBSPOT_BASE_URL: proxy.url,
        HUBSPOT_API_VERSION: version,
      });
    });
    afterAll(async () => {
      await crm?.close();
      for (const exchange of proxy?.exchanges ?? []) recorded.push({ version, exchange });
      await proxy?.close();
      await sandbox?.stop();
    });

    for (const scenario of crmScenarios) {
      it(scenario.name, () => scenario.run({ sandbox, crm, version }));
    }
  },
);

describe("HubSpot's published descriptions", () => {
  it("hold every recorded request and answer, beyond the commented allow-list", () => {
    const violations: Violation[] = [];
    const used = new Set<string>();
    const operations = new Map<string, number>();
    for (const { version, exchange } of recorded) {
      const target = contract.operationOf(exchange);
      // Every request goes to the version the server was started with.
      expect(target?.version, `${exchange.method} ${exchange.path}`).toBe(version);
      const key = `${target?.operation}`;
      operations.set(key, (operations.get(key) ?? 0) + 1);
      for (const violation of contract.check(exchange)) {
        const entry = allowedBy(violation);
        if (entry) used.add(entry.id);
        else violations.push(violation);
      }
    }
    console.info(
      `HubSpot contract: ${recorded.length} requests validated (${recorded.filter((r) => r.exchange.status !== undefined).length} answers) over ${operations.size} operations:\n` +
        [...operations].map(([op, n]) => `  ${n}\t${op}`).join("\n"),
    );
    expect(violations).toEqual([]);
    expect(ALLOWED_DEVIATIONS.map((e) => e.id).filter((id) => !used.has(id))).toEqual([]);
    // Both versions, every endpoint the server uses.
    expect(new Set(recorded.map((r) => r.version))).toEqual(new Set(HUBSPOT_API_VERSIONS));
    expect(operations.size).toBeGreaterThanOrEqual(2 * 8);
  });
});

describe("the contract check itself, on HubSpot's descriptions", () => {
  const v4Answer: Exchange = {
    method: "POST",
    path: "/crm/associations/2026-09/companies/notes/batch/read",
    query: {},
    headers: { authorization: "Bearer t", "content-type": "application/json" },
    requestBody: { inputs: [{ id: "42" }] },
    status: 200,
    responseBody: {
      status: "COMPLETE",
      results: [
        {
          from: { id: "42" },
          to: [
            { toObjectId: 7, associationTypes: [{ category: "HUBSPOT_DEFINED", typeId: 189, label: null }] },
          ],
        },
      ],
      startedAt: "2026-11-21T12:00:00.000Z",
      completedAt: "2026-11-21T12:00:00.010Z",
    },
  };

  it("fails a v4-style association answer (toObjectId a number, label null), and no allow-list entry covers it", () => {
    const violations = contract.check(v4Answer);
    expect(violations.map((v) => `${v.where} ${v.pointer} ${v.keyword}`)).toEqual([
      "response.body /results/0/to/0/associationTypes/0/label type",
      "response.body /results/0/to/0/toObjectId type",
    ]);
    expect(violations.filter((v) => allowedBy(v) === undefined)).toHaveLength(2);
  });

  it("fails a legacy path, a request without its Bearer token, and a body outside the schema", () => {
    const legacy = contract.check({
      ...v4Answer,
      path: "/crm/v4/objects/companies/42/associations/notes",
      method: "GET",
    });
    expect(legacy).toMatchObject([{ where: "operation", keyword: "undescribed" }]);
    const noToken = contract.check({
      ...v4Answer,
      headers: { "content-type": "application/json" },
      status: undefined,
    });
    expect(noToken).toMatchObject([{ where: "request.headers", pointer: "authorization" }]);
    const badBody = contract.check({ ...v4Answer, requestBody: { inputs: [{ id: 42 }] }, status: undefined });
    expect(badBody).toMatchObject([{ where: "request.body", pointer: "/inputs/0/id", keyword: "type" }]);
    expect(badBody.filter((v) => allowedBy(v) === undefined)).toHaveLength(1);
  });
});
