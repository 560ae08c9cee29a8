import { describe, expect, it } from "vitest";
import { allowedBy } from "./allow-list.js";
import { type Exchange, OpenApiContract } from "./openapi-contract.js";
import { startRecordingProxy } from "./recording-proxy.js";

// The contract checker and the recording proxy on a small description of our own (HubSpot's
// are not in the repository: crm-published.contract.test.ts checks against them).

const doc = {
  openapi: "3.0.1",
  paths: {
    "/crm/objects/2026-09/{objectType}/search": {
      post: {
        parameters: [{ name: "objectType", in: "path", required: true, schema: { type: "string" } }],
        requestBody: {
          required: true,
          content: { "application/json": { schema: { $ref: "#/components/schemas/Search" } } },
        },
        responses: {
          "200": { content: { "application/json": { schema: { $ref: "#/components/schemas/Page" } } } },
          default: { $ref: "#/components/responses/Error" },
        },
        security: [{ oauth2: ["crm.objects.companies.read"] }],
      },
    },
    "/crm/objects/2026-09/{objectType}/{objectId}": {
      get: {
        parameters: [
          { name: "objectType", in: "path", required: true, schema: { type: "string" } },
          { name: "objectId", in: "path", required: true, schema: { type: "string" } },
          { name: "properties", in: "query", schema: { type: "array", items: { type: "string" } } },
          { name: "archived", in: "query", schema: { type: "boolean" } },
        ],
        responses: {
          "200": { content: { "application/json": { schema: { $ref: "#/components/schemas/Object" } } } },
        },
      },
    },
  },
  components: {
    schemas: {
      Search: {
        required: ["after", "limit", "sorts"],
        type: "object",
        properties: {
          after: { type: "string" },
          limit: { type: "integer", format: "int32" },
          sorts: { type: "array" },
        },
      },
      Object: {
        required: ["id", "properties"],
        type: "object",
        properties: {
          id: { type: "string" },
          properties: { type: "object", additionalProperties: { type: "string", nullable: true } },
          createdAt: { type: "string", format: "date-time" },
        },
      },
      Page: {
        required: ["results"],
        type: "object",
        properties: { results: { type: "array", items: { $ref: "#/components/schemas/Object" } } },
      },
      Error: {
        required: ["category", "correlationId", "message"],
        type: "object",
        properties: { correlationId: { type: "string", format: "uuid" } },
      },
    },
    responses: { Error: { content: { "*/*": { schema: { $ref: "#/components/schemas/Error" } } } } },
  },
};

const contract = new OpenApiContract([{ version: "2026-09", name: "objects", doc }]);
const search = (over: Partial<Exchange> = {}): Exchange => ({
  method: "POST",
  path: "/crm/objects/2026-09/companies/search",
  query: {},
  headers: { authorization: "Bearer k", "content-type": "application/json" },
  requestBody: { limit: 10 },
  status: 200,
  responseBody: { results: [{ id: "1", properties: { name: null } }] },
  ...over,
});

describe("OpenApiContract", () => {
  it("finds the operation by method and path template, and passes a described exchange but for the allow-listed omissions", () => {
    expect(contract.operationOf(search())).toEqual({
      version: "2026-09",
      operation: "POST /crm/objects/2026-09/{objectType}/search",
    });
    const violations = contract.check(search());
    expect(violations.map((v) => v.params?.missingProperty)).toEqual(["after", "sorts"]);
    expect(violations.map((v) => allowedBy(v)?.id)).toEqual([
      "search-after-optional",
      "search-sorts-optional",
    ]);
  });

  it("fails an undescribed path, a missing token, a body and an answer outside their schemas, an undescribed success status", () => {
    expect(contract.check(search({ path: "/crm/v3/objects/companies/search" }))).toMatchObject([
      { where: "operation", keyword: "undescribed" },
    ]);
    const bad = contract
      .check(
        search({
          headers: { "content-type": "text/plain" },
          requestBody: { after: "0", sorts: [], limit: "10" },
          status: 207,
          responseBody: { results: [{ id: 1, properties: {} }] },
        }),
      )
      .map((v) => `${v.where} ${v.pointer} ${v.keyword}`);
    expect(bad).toEqual([
      "request.headers authorization missing",
      "request.headers content-type type",
      "request.body /limit type",
      "response.status  undescribed",
      "response.body /results/0/id type",
    ]);
    const error = contract.check(
      search({ status: 400, responseBody: { message: "x", category: "VALIDATION_ERROR" } }),
    );
    expect(error.filter((v) => v.where === "response.body")).toMatchObject([
      { keyword: "required", params: { missingProperty: "correlationId" } },
    ]);
    // A 2026-03-only entry does not cover the same shape on another version.
    expect(
      allowedBy({
        version: "2026-09",
        operation: "GET /crm/objects/2026-09/{objectType}/{objectId}",
        where: "response.body",
        keyword: "type",
        pointer: "/properties/name",
        message: "must be string",
      }),
    ).toBeUndefined();
  });

  it("checks query parameters: types, HubSpot's comma lists, undescribed names", () => {
    const get = (query: Record<string, string[]>): Exchange => ({
      method: "GET",
      path: "/crm/objects/2026-09/companies/42",
      query,
      headers: {},
      status: 200,
      responseBody: { id: "42", properties: { name: "Acme" }, createdAt: "2026-01-01T00:00:00Z" },
    });
    expect(contract.check(get({ properties: ["name,domain"], archived: ["false"] }))).toEqual([]);
    expect(
      contract.check(get({ archived: ["maybe"], limit: ["5"] })).map((v) => `${v.pointer} ${v.keyword}`),
    ).toEqual(["archived type", "limit undescribed"]);
  });
});

describe("startRecordingProxy", () => {
  it("passes exchanges on byte for byte and records them, parsed", async () => {
    const { createServer } = await import("node:http");
    const target = createServer((req, res) => {
      res.writeHead(201, { "content-type": "application/json" });
      res.end(JSON.stringify({ seen: req.url }));
    });
    await new Promise<void>((resolve) => target.listen(0, "127.0.0.1", resolve));
    const port = (target.address() as { port: number }).port;
    const proxy = await startRecordingProxy(`http://127.0.0.1:${port}`);
    try {
      const answer = await fetch(`${proxy.url}/a/b?x=1&x=2`, {
        method: "POST",
        headers: { authorization: "Bearer k", "content-type": "application/json" },
        body: JSON.stringify({ q: 1 }),
      });
      expect(answer.status).toBe(201);
      expect(await answer.json()).toEqual({ seen: "/a/b?x=1&x=2" });
      expect(proxy.exchanges).toMatchObject([
        {
          method: "POST",
          path: "/a/b",
          query: { x: ["1", "2"] },
          headers: { authorization: "Bearer k" },
          requestBody: { q: 1 },
          status: 201,
          responseBody: { seen: "/a/b?x=1&x=2" },
        },
      ]);
    } finally {
      await proxy.close();
      await new Promise<void>((resolve) => target.close(() => resolve()));
    }
  });
});
