import { describe, expect, it } from "vitest";
import { PATHS } from "./support/api-version.js";
import { connectCrm } from "./support/connect.js";

const READS = ["get_account", "get_contact", "list_account_activity", "search_accounts"];
const WRITES = ["log_activity_note", "update_account_fields", "upsert_lead"];

type JsonSchema = {
  type?: string;
  description?: string;
  properties?: Record<string, JsonSchema>;
  items?: JsonSchema;
  anyOf?: JsonSchema[];
};

/** Every property path of an input schema that has no description. */
function undescribed(schema: JsonSchema, path = ""): string[] {
  const missing: string[] = [];
  for (const [name, property] of Object.entries(schema.properties ?? {})) {
    const here = path ? `${path}.${name}` : name;
    if (!property.description) missing.push(here);
    missing.push(...undescribed(property, here));
  }
  return missing;
}

describe("the CRM server over a real MCP client", () => {
  it("lists every tool with described inputs, declared outputs and truthful annotations", async () => {
    const crm = await connectCrm();
    const { tools } = await crm.client.listTools();
    const byName = Object.fromEntries(tools.map((t) => [t.name, t]));
    expect(Object.keys(byName).sort()).toEqual([...READS, ...WRITES].sort());

    for (const tool of tools) {
      expect(tool.description!.length).toBeGreaterThan(40);
      expect(undescribed(tool.inputSchema as JsonSchema), tool.name).toEqual([]);
      expect((tool.inputSchema as { additionalProperties?: boolean }).additionalProperties).toBe(false);
      expect(Object.keys(tool.outputSchema?.properties ?? {}).length).toBeGreaterThan(0);
      expect(tool.annotations?.openWorldHint).toBe(true);
    }
    for (const name of READS) {
      expect(byName[name]!.annotations).toMatchObject({
        readOnlyHint: true,
        destructiveHint: false,
        idempotentHint: true,
      });
    }
    expect(byName.upsert_lead!.annotations).toMatchObject({ readOnlyHint: false, destructiveHint: true });
    expect(byName.update_account_fields!.annotations).toMatchObject({
      readOnlyHint: false,
      destructiveHint: true,
    });
    expect(byName.log_activity_note!.annotations).toMatchObject({
      readOnlyHint: false,
      destructiveHint: false,
    });
    expect((byName.log_activity_note!.inputSchema as { required?: string[] }).required?.sort()).toEqual([
      "account_id",
      "body",
      "occurrence",
    ]);
    for (const name of WRITES) {
      expect(Object.keys(byName[name]!.outputSchema!.properties!)).toEqual(
        expect.arrayContaining(["idempotency_key", "replayed"]),
      );
    }
  });

  it("hides the write tools while writes are disabled, and refuses a call to one", async () => {
    const crm = await connectCrm({ writesEnabled: false });
    const { tools } = await crm.client.listTools();
    expect(tools.map((t) => t.name).sort()).toEqual(READS);
    const { error } = await crm.call("log_activity_note", { account_id: "1", body: "x", occurrence: "a" });
    expect(error).toMatchObject({ code: "WRITES_DISABLED", retryable: false, sideEffect: "none" });
    expect(crm.hubspot.calls()).toHaveLength(0);
  });

  it("logs one line per call with the outcome", async () => {
    const crm = await connectCrm();
    crm.hubspot.on("POST", PATHS.search("contacts")).reply({ status: 200, body: { total: 0, results: [] } });
    await crm.call("get_contact", { email: "nobody@acme.com" });
    expect(crm.callLines()).toEqual([
      expect.objectContaining({
        server: "crm",
        tool: "get_contact",
        kind: "read",
        outcome: "NOT_FOUND",
        retryable: false,
        attempts: 1,
      }),
    ]);
  });
});
