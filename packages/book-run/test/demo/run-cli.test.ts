import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import { afterEach, describe, expect, it } from "vitest";
import { runCli } from "../../src/cli/run-cli.js";
import { FakeWorld, fakeBook } from "../run/fake-world.js";
import { ports } from "./fake-ports.js";

function streams() {
  const out = new PassThrough();
  const err = new PassThrough();
  let stdout = "";
  let stderr = "";
  out.on("data", (d) => (stdout += d));
  err.on("data", (d) => (stderr += d));
  return { out, err, stdout: () => stdout, stderr: () => stderr };
}

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function cli(world: FakeWorld, envs: Record<string, Record<string, string>> = {}) {
  const s = streams();
  const p = ports(world, { rateLimit: 0.05, commitThenDrop: 0.1, writeLatencyMs: 2 });
  const deps = {
    defaultSeed: "seed-0",
    startSandbox: async () => p.sandbox,
    startServers: async (
      envOf: (name: "crm" | "enrichment" | "warehouse" | "email") => Record<string, string>,
      nodeArgs?: string[],
    ) => {
      for (const name of ["crm", "enrichment", "warehouse", "email"] as const) envs[name] = envOf(name);
      if (nodeArgs) envs.nodeArgs = { args: nodeArgs.join(" ") };
      return p.servers;
    },
    stdout: s.out,
    stderr: s.err,
  };
  return { s, deps };
}

describe("runCli", () => {
  it("prints --help with every option", async () => {
    const { s, deps } = cli(new FakeWorld(fakeBook(5)));
    expect(await runCli(["--help"], deps)).toBe(0);
    for (const o of [
      "--accounts",
      "--workers",
      "--redis",
      "--seed",
      "--chaos",
      "--real-limits",
      "--no-limits",
      "--latency-ms",
      "--cpu-prof",
      "--inline-emulators",
      "--report-json",
      "--report-html",
    ])
      expect(s.stdout()).toContain(o);
  });

  it("refuses a bad option with one line and exit 2", async () => {
    const { s, deps } = cli(new FakeWorld(fakeBook(5)));
    expect(await runCli(["--workers", "many"], deps)).toBe(2);
    expect(s.stderr().trim().split("\n")).toHaveLength(1);
  });

  it("exits 2 with one line when the emulators or servers do not start", async () => {
    const { s, deps } = cli(new FakeWorld(fakeBook(5)));
    deps.startServers = async () => {
      throw new Error("servers/email/dist/main.js did not start over stdio\nmore");
    };
    expect(await runCli([], deps)).toBe(2);
    expect(s.stderr()).toBe(
      "gtm-mcp-book-run: could not start: servers/email/dist/main.js did not start over stdio\n",
    );
  });

  it("runs with chaos, prints the report, writes JSON and HTML, and exits 0 when the check passes", async () => {
    const dir = mkdtempSync(join(tmpdir(), "book-run-cli-"));
    dirs.push(dir);
    const envs: Record<string, Record<string, string>> = {};
    const { s, deps } = cli(new FakeWorld(fakeBook(150), {}, 4), envs);
    const json = join(dir, "r.json");
    const html = join(dir, "r.html");
    const code = await runCli(
      [
        "--accounts",
        "150",
        "--chaos",
        "--report-json",
        json,
        "--report-html",
        html,
        "--run-date",
        "2026-11-29",
      ],
      deps,
    );
    expect(s.stdout()).toContain("Exactly-once check: PASSED");
    expect(code).toBe(0);
    const report = JSON.parse(readFileSync(json, "utf8"));
    expect(report.accounts.total).toBe(150);
    expect(report.secondRun.newWrites).toBe(0);
    expect(readFileSync(html, "utf8")).toContain("<svg");
    expect(s.stderr()).toContain("book-run");
    expect(envs.crm).toMatchObject({
      GTM_RUN_ID: "book-run-2026-11-29",
      GTM_MAX_WRITES_PER_RUN: "200",
      GTM_LOG_LEVEL: "warn",
    });
    expect(envs.crm?.GTM_STATE_URL).toMatch(/^sqlite:.*crm\.sqlite$/);
    expect(envs.email?.GTM_STATE_URL).toMatch(/^sqlite:.*email\.sqlite$/);
    expect(envs.enrichment?.ENRICHMENT_MAX_CALLS_PER_RUN).toBe("150");
    // Sandbox only: sends without asking, capped at a fifth of the book (at least 20).
    expect(envs.email).toMatchObject({ EMAIL_SEND_MODE: "on", EMAIL_MAX_SENDS_PER_RUN: "30" });
    expect(report.accounts.sends.written).toBeGreaterThan(0);
  });

  it("exits 1 when the check fails", async () => {
    const world = new FakeWorld(fakeBook(80), {}, 4);
    const { deps } = cli(world);
    const sandbox = await deps.startSandbox();
    const realState = sandbox.state;
    sandbox.state = async () => {
      const state = await realState();
      state.notes.push(...state.notes.slice(0, 1)); // a duplicate note the vendor holds
      return state;
    };
    expect(await runCli(["--accounts", "80"], deps)).toBe(1);
  });

  it("runs latency-bound (--latency-ms 5 --no-limits), says so, and profiles the servers with --cpu-prof", async () => {
    const envs: Record<string, Record<string, string>> = {};
    const { s, deps } = cli(new FakeWorld(fakeBook(20)), envs);
    let asked: { latencyMs: number; noLimits: boolean } | undefined;
    const start = deps.startSandbox;
    deps.startSandbox = async (options?: { latencyMs: number; noLimits: boolean }) => {
      asked = options;
      return start();
    };
    const code = await runCli(
      ["--accounts", "20", "--latency-ms", "5", "--no-limits", "--workers", "16", "--cpu-prof", "/tmp/p"],
      deps,
    );
    expect(code).toBe(0);
    expect(asked).toMatchObject({ latencyMs: 5, noLimits: true, workers: 16 });
    expect(s.stderr()).toContain("16 workers");
    expect(s.stderr()).toContain("5 ms emulator latency, no rate limits");
    expect(s.stdout()).toContain("emulators        5 ms fixed latency, no rate limits");
    expect(envs.nodeArgs).toEqual({ args: "--cpu-prof --cpu-prof-dir /tmp/p" });
  });
});
