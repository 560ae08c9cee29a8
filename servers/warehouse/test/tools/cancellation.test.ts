import { waitFor } from "@gtm-mcp/tool-kit/testing";
import { describe, expect, it } from "vitest";
import { loadCatalog } from "../../src/catalog/load-catalog.js";
import { connectWarehouse, SEGMENT_ROW_TYPE } from "../support/connect.js";

describe("cancellation", () => {
  it("cancels the statement in Snowflake when the client cancels while it runs; the call log says cancelled", async () => {
    const w = await connectWarehouse({ plan: () => ({ rowType: SEGMENT_ROW_TYPE, hang: true }) });
    const controller = new AbortController();
    const call = w.call("list_accounts_by_segment", { segment: "enterprise" }, { signal: controller.signal });
    await waitFor(() => w.stub.requests.some((r) => r.method === "GET"));
    controller.abort(new Error("the user moved on"));
    await expect(call).rejects.toThrow();
    await waitFor(() => w.callLines().length === 1);
    const handle = w.stub.statements[0]!.handle;
    expect(w.stub.cancels).toEqual([handle]);
    const cancel = w.stub.requests.find((r) => r.pathname.endsWith("/cancel"))!;
    expect(cancel).toMatchObject({ method: "POST", pathname: `/api/v2/statements/${handle}/cancel` });
    expect(w.callLines()[0]).toMatchObject({ tool: "list_accounts_by_segment", outcome: "cancelled" });
    expect(w.logs().find((l) => l.msg === "statement cancelled in Snowflake")).toMatchObject({
      statementHandle: handle,
      reason: "cancelled",
    });
  });

  it("finds the handle of a submit cut off by the cancel (same requestId, retry=true) and cancels it", async () => {
    const w = await connectWarehouse({
      plan: () => ({ rowType: SEGMENT_ROW_TYPE, hang: true, submitDelayMs: 60_000 }),
    });
    const controller = new AbortController();
    const call = w.call("list_accounts_by_segment", { segment: "enterprise" }, { signal: controller.signal });
    await waitFor(() => w.stub.statements.length === 1);
    controller.abort(new Error("the user moved on"));
    await expect(call).rejects.toThrow();
    await waitFor(() => w.stub.cancels.length === 1);
    const submits = w.stub.submits();
    expect(submits).toHaveLength(2);
    expect(submits[1]!.query.get("requestId")).toBe(submits[0]!.query.get("requestId"));
    expect(submits[1]!.query.get("retry")).toBe("true");
    expect(w.stub.statements).toHaveLength(1);
    expect(w.stub.cancels).toEqual([w.stub.statements[0]!.handle]);
  });

  it("cancels the statement when the deadline passes; the call log says UPSTREAM_TIMEOUT, not cancelled", async () => {
    const entry = loadCatalog().find((e) => e.name === "list_accounts_by_segment")!;
    const w = await connectWarehouse({
      catalog: [{ ...entry, timeout_seconds: 1 }],
      plan: () => ({ rowType: SEGMENT_ROW_TYPE, hang: true }),
    });
    const { error } = await w.call("list_accounts_by_segment", { segment: "enterprise" });
    expect(error).toMatchObject({ code: "UPSTREAM_TIMEOUT", retryable: true });
    // On a loaded machine the answer may beat the cancel's own round trip: wait for it.
    await waitFor(() => w.stub.cancels.length === 1);
    expect(w.stub.cancels).toEqual([w.stub.statements[0]!.handle]);
    expect(w.callLines()[0]).toMatchObject({ outcome: "UPSTREAM_TIMEOUT" });
    await waitFor(() => w.logs().some((l) => l.msg === "statement cancelled in Snowflake"));
    expect(w.logs().find((l) => l.msg === "statement cancelled in Snowflake")).toMatchObject({
      reason: "deadline",
    });
  });
});
