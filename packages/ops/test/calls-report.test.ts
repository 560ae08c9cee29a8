import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { waitFor } from "@gtm-mcp/tool-kit/testing";
import { afterAll, describe, expect, it } from "vitest";
import { percentile } from "../src/calls/call-report.js";
import { runCli } from "../src/cli/run-cli.js";

/** A call-log line as a server writes it (pino fields + the tool-kit's ToolCallLine). */
function call(time: string, tool: string, extra: Record<string, unknown> = {}): string {
  return JSON.stringify({
    level: "info",
    time,
    server: "crm",
    env: "staging",
    runId: "r1",
    event: "tool_call",
    tool,
    kind: "read",
    args: {},
    durationMs: 100,
    outcome: "ok",
    retryable: false,
    replayed: false,
    attempts: 1,
    retried: false,
    msg: "tool call",
    ...extra,
  });
}

/**
 * Two hours. get_account: 10 calls an hour at 10..100 ms, one retry in the first hour and one
 * in the second (10 % both: steady). search_accounts: 10 calls an hour, none retried in the
 * first hour, 4 in the second (rising). One contract violation, one replay, one error, a
 * vendor drift line and lines the report must skip.
 */
function fixture(): string[] {
  const lines: string[] = [
    "gtm-mcp-crm serving MCP over stdio",
    '{"level":"warn","msg":"not a call"}',
    "{cut",
  ];
  for (const hour of ["10", "11"]) {
    for (let i = 0; i < 10; i++) {
      const time = `2026-11-29T${hour}:${String(i * 5).padStart(2, "0")}:00.000Z`;
      lines.push(call(time, "get_account", { durationMs: (i + 1) * 10, retried: i === 0 }));
      const rising = hour === "11" && i < 4;
      lines.push(call(time, "search_accounts", { durationMs: 200, retried: rising }));
    }
  }
  lines.push(
    call("2026-11-29T11:58:00.000Z", "log_activity_note", { outcome: "ok", replayed: true, durationMs: 5 }),
  );
  lines.push(
    call("2026-11-29T11:59:00.000Z", "log_activity_note", {
      outcome: "UPSTREAM_CONTRACT_VIOLATION",
      durationMs: 300,
    }),
  );
  lines.push(
    call("2026-11-29T11:59:30.000Z", "log_activity_note", {
      outcome: "RATE_LIMITED",
      retryable: true,
      durationMs: 50,
    }),
  );
  lines.push(
    JSON.stringify({
      level: "error",
      time: "2026-11-29T11:59:00.000Z",
      server: "crm",
      system: "hubspot",
      operation: "notes.create",
      drift: [{ path: "id", code: "invalid_type", message: "expected string" }],
      msg: "upstream response drifted from its schema",
    }),
  );
  return lines;
}

async function cli(argv: string[], stdin = ""): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = "";
  let stderr = "";
  const code = await runCli(argv, {
    env: {},
    stdout: (t) => {
      stdout += t;
    },
    stderr: (t) => {
      stderr += t;
    },
    stdin: Readable.from([stdin]),
  });
  return { code, stdout, stderr };
}

const dir = mkdtempSync(join(tmpdir(), "calls-report-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("gtm-mcp calls report", () => {
  it("nearest-rank percentiles", () => {
    expect(percentile([10, 20, 30, 40, 50, 60, 70, 80, 90, 100], 0.5)).toBe(50);
    expect(percentile([10, 20, 30, 40, 50, 60, 70, 80, 90, 100], 0.95)).toBe(100);
    expect(percentile([], 0.5)).toBe(0);
  });

  it("--json over stdin: figures per tool and hour, the rising retry rate, contract violations and drift", async () => {
    const { code, stdout, stderr } = await cli(["calls", "report", "--json"], `${fixture().join("\n")}\n`);
    expect({ code, stderr }).toEqual({ code: 0, stderr: "" });
    const report = JSON.parse(stdout);
    expect(report.from).toBe("2026-11-29T10:00:00.000Z");
    expect(report.to).toBe("2026-11-29T11:59:30.000Z");
    expect(report.total).toMatchObject({ calls: 43, errors: 2, retried: 6, replayed: 1 });
    expect(report.tools).toEqual([
      {
        tool: "get_account",
        calls: 20,
        errors: 0,
        errorRate: 0,
        retried: 2,
        retryRate: 0.1,
        replayed: 0,
        replayRate: 0,
        p50Ms: 50,
        p95Ms: 100,
      },
      {
        tool: "log_activity_note",
        calls: 3,
        errors: 2,
        errorRate: 0.6667,
        retried: 0,
        retryRate: 0,
        replayed: 1,
        replayRate: 0.3333,
        p50Ms: 50,
        p95Ms: 300,
      },
      {
        tool: "search_accounts",
        calls: 20,
        errors: 0,
        errorRate: 0,
        retried: 4,
        retryRate: 0.2,
        replayed: 0,
        replayRate: 0,
        p50Ms: 200,
        p95Ms: 200,
      },
    ]);
    expect(
      report.hours.map((h: { hour: string; tool: string; calls: number; retryRate: number }) => [
        h.hour,
        h.tool,
        h.calls,
        h.retryRate,
      ]),
    ).toEqual([
      ["2026-11-29T10:00Z", "get_account", 10, 0.1],
      ["2026-11-29T10:00Z", "search_accounts", 10, 0],
      ["2026-11-29T11:00Z", "get_account", 10, 0.1],
      ["2026-11-29T11:00Z", "log_activity_note", 3, 0],
      ["2026-11-29T11:00Z", "search_accounts", 10, 0.4],
    ]);
    expect(report.risingRetries).toEqual([
      { tool: "search_accounts", hour: "2026-11-29T11:00Z", retryRate: 0.4, baselineRate: 0 },
    ]);
    expect(report.contractViolations).toEqual([
      { tool: "log_activity_note", calls: 1, last: "2026-11-29T11:59:00.000Z" },
    ]);
    expect(report.upstreamDrift).toEqual([
      {
        system: "hubspot",
        operation: "notes.create",
        count: 1,
        lastPath: "id",
        last: "2026-11-29T11:59:00.000Z",
      },
    ]);
  });

  it("aligned tables over a file", async () => {
    const file = join(dir, "crm.log");
    writeFileSync(file, `${fixture().join("\n")}\n`);
    const { code, stdout } = await cli(["calls", "report", file]);
    expect(code).toBe(0);
    const sections = stdout.split("\n\n");
    expect(sections[0]).toBe(
      "43 calls from 2026-11-29T10:00:00.000Z to 2026-11-29T11:59:30.000Z: errors 4.7%, retried 14.0%, replayed 2.3%, p50 100 ms, p95 200 ms",
    );
    expect(sections[1]).toBe(
      [
        "Per tool",
        "tool               calls  errors  retried  replayed  p50 ms  p95 ms",
        "-----------------  -----  ------  -------  --------  ------  ------",
        "get_account        20     0.0%    10.0%    0.0%      50      100",
        "log_activity_note  3      66.7%   0.0%     33.3%     50      300",
        "search_accounts    20     0.0%    20.0%    0.0%      200     200",
      ].join("\n"),
    );
    expect(sections[3]).toBe(
      [
        "Retry rate rising (last hour against the hours before it)",
        "tool             hour               retried  before",
        "---------------  -----------------  -------  ------",
        "search_accounts  2026-11-29T11:00Z  40.0%    0.0%",
      ].join("\n"),
    );
    expect(sections[4]).toContain("log_activity_note  1      2026-11-29T11:59:00.000Z");
    expect(sections[5]).toContain("hubspot  notes.create  1      id");
  });

  it("a steady retry rate is not flagged", async () => {
    const steady = fixture().filter((l) => !l.includes("search_accounts"));
    const { stdout } = await cli(["calls", "report"], `${steady.join("\n")}\n`);
    expect(stdout).toContain("Retry rate: no tool rose against its earlier hours.");
  });

  it("--follow reads what is appended to the file and reports again, until interrupted", async () => {
    const file = join(dir, "follow.log");
    const lines = fixture();
    writeFileSync(file, `${lines.slice(0, 10).join("\n")}\n`);
    const stop = new AbortController();
    let stdout = "";
    const running = runCli(["calls", "report", file, "--follow", "--interval", "0.05", "--json"], {
      env: {},
      stdout: (t) => {
        stdout += t;
      },
      stderr: () => undefined,
      signal: stop.signal,
    });
    const reports = () => stdout.split(/\n(?=\{)/).map((r) => JSON.parse(r) as { total: { calls: number } });
    await waitFor(() => stdout.includes("\n}"), 30_000, "the first report");
    expect(reports()[0]?.total.calls).toBe(7);
    // The rest, with its last line written in two pieces: the cut line waits for its end.
    const rest = `${lines.slice(10).join("\n")}\n`;
    appendFileSync(file, rest.slice(0, -40));
    appendFileSync(file, rest.slice(-40));
    await waitFor(() => reports().at(-1)?.total.calls === 43, 30_000, "a report of every call");
    stop.abort();
    expect(await running).toBe(0);
    expect(reports().at(-1)?.total.calls).toBe(43);
  });

  it("refuses a missing file and a bad --interval", async () => {
    expect(await cli(["calls", "report", join(dir, "none.log")])).toMatchObject({
      code: 1,
      stderr: expect.stringContaining("no such file"),
    });
    expect(await cli(["calls", "report", "--interval", "0"])).toMatchObject({
      code: 2,
      stderr: expect.stringContaining("--interval"),
    });
    expect((await cli(["calls", "list"])).code).toBe(2);
  });
});
