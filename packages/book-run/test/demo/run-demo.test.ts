import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import { planKills, seededRandom } from "../../src/demo/chaos-plan.js";
import { parseDemoOptions } from "../../src/demo/demo-options.js";
import { runDemo } from "../../src/demo/run-demo.js";
import { htmlReport } from "../../src/report/html-report.js";
import { FakeWorld, fakeBook } from "../run/fake-world.js";
import { ports } from "./fake-ports.js";

const options = (argv: string[]) => parseDemoOptions(argv, "gtm-sandbox-1", "2026-11-29");
const deps = (p: ReturnType<typeof ports>) => ({
  ...p,
  liveStream: new PassThrough(),
  clock: { sleep: async () => {}, random: () => 0.5 },
  now: Date.now,
  sendCap: 20,
  storeName: "fake",
});

describe("runDemo over fake servers and emulators", () => {
  it("runs the book, checks it, and reports figures that agree with the vendors' state", async () => {
    const world = new FakeWorld(fakeBook(120));
    const report = await runDemo(options(["--accounts", "100"]), deps(ports(world, {})));
    expect(report.check.passed).toBe(true);
    expect(report.accounts.total).toBe(100);
    expect(report.accounts.notes.written).toBe(world.state.notes.length);
    expect(report.accounts.drafts.written).toBe(world.state.drafts.length);
    expect(report.tools.find((t) => t.tool === "get_account")?.calls).toBe(100);
    expect(report.secondRun).toBeUndefined();
    expect(report.restarts).toEqual([]);
    expect(report.emulators).toEqual({ latencyMs: 0, limits: "scaled" });
    expect(report.cpu?.bookRunMs).toBeGreaterThan(0);
    expect(htmlReport(report)).toContain('data-chart="latency"');
  });

  it("under chaos, kills servers as planned, counts faults, and the second run writes nothing", async () => {
    const world = new FakeWorld(fakeBook(200), {}, 11);
    const p = ports(world, { rateLimit: 0.05, commitThenDrop: 0.1, connectionLost: 0.02, writeLatencyMs: 2 });
    const report = await runDemo(options(["--accounts", "200", "--chaos", "--seed", "s1"]), deps(p));
    expect(report.check.items.filter((i) => !i.passed)).toEqual([]);
    expect(report.check.items.map((i) => i.name)).toContain("the second run made no new write");
    expect(p.killed).toHaveLength(6);
    expect(report.restarts.map((r) => r.server)).toEqual(p.killed);
    expect(report.faults.injected.commit_then_drop).toBeGreaterThan(0);
    expect(report.faults.outcomes.reconciled).toBeGreaterThan(0);
    expect(report.secondRun).toMatchObject({ newWrites: 0 });
    expect((report.secondRun?.writesReplayed ?? 0) + (report.secondRun?.writesRefused ?? 0)).toBe(
      report.secondRun?.writesAttempted,
    );
    expect(report.accounts.signals.unavailable).toBeGreaterThan(0);
    // Sends: a share of the drafts, each once, replayed by the second run like every write.
    expect(report.accounts.sends?.written).toBeGreaterThan(0);
    expect(world.state.sends.length).toBeLessThan(world.state.drafts.length);
    const replays = report.secondRun?.replaysByTool ?? {};
    expect(replays.log_activity_note).toBeGreaterThan(0);
    expect(replays.create_outreach_draft).toBeGreaterThan(0);
    expect(replays.send_draft).toBe(world.state.sends.length);
    expect(
      report.check.items.find((i) => i.name === "the second run replayed every write of the first"),
    ).toMatchObject({ passed: true });
    // The kills of crm and email landed on a write in flight and cut its answer.
    const aimed = report.restarts.filter((k) => k.server === "crm" || k.server === "email");
    expect(aimed.length).toBeGreaterThanOrEqual(2);
    for (const kill of aimed) expect(kill).toMatchObject({ during: expect.any(String), cut: true });
  });

  it("fails the check when the second run reads the run's own drafts as contact mail and never calls the draft again", async () => {
    const world = new FakeWorld(fakeBook(120), {}, 5);
    const p = ports(world, { writeLatencyMs: 2 });
    const state = p.sandbox.state;
    let runs = 0;
    p.sandbox.state = async () => {
      // After the first run: the mailbox now lists our drafts under a subject the rule cannot
      // recognise, as contact activity.
      if (++runs === 1) {
        const call = world.call.bind(world);
        p.servers.call = async (server, tool, args) => {
          const outcome = await call(server, tool, args);
          if (tool !== "list_recent_threads" || !outcome.ok) return outcome;
          const threads = (outcome.structured.threads as Array<{ subject: string }>).map(() => ({
            subject: "Hi",
          }));
          return { ...outcome, structured: { ...outcome.structured, threads } };
        };
      }
      return state();
    };
    const report = await runDemo(options(["--accounts", "120", "--chaos", "--seed", "s2"]), deps(p));
    const failed = report.check.items.filter((i) => !i.passed);
    expect(failed.map((i) => i.name)).toEqual(["the second run replayed every write of the first"]);
    expect(failed[0]?.detail).toMatch(/drafts 0\/\d+ replayed/);
    expect(report.secondRun?.newWrites).toBe(0);
  });
});

describe("options", () => {
  it("defaults per the issue and refuses bad values with one line", () => {
    expect(options([])).toMatchObject({
      accounts: 4000,
      workers: 8,
      redis: null,
      chaos: false,
      realLimits: false,
      seed: "gtm-sandbox-1",
      runDate: "2026-11-29",
    });
    expect(
      options([
        "--workers",
        "3",
        "--redis",
        "redis://127.0.0.1:6379",
        "--real-limits",
        "--report-json",
        "r.json",
      ]),
    ).toMatchObject({ workers: 3, redis: "redis://127.0.0.1:6379", realLimits: true, reportJson: "r.json" });
    expect(() => options(["--accounts", "0"])).toThrow("--accounts must be a whole number ≥ 1, got 0");
    expect(() => options(["--redis", "http://x"])).toThrow("--redis must be a redis://");
    expect(() => options(["--nope"])).toThrow(/nope/);
    expect(() => options(["--run-date", "yesterday"])).toThrow("--run-date");
  });

  it("reads the latency-bound mode: --latency-ms, --no-limits, and --cpu-prof for the servers", () => {
    expect(options([])).toMatchObject({
      latencyMs: 0,
      noLimits: false,
      cpuProfDir: null,
      inlineEmulators: false,
    });
    expect(options(["--inline-emulators"]).inlineEmulators).toBe(true);
    expect(
      options(["--latency-ms", "5", "--no-limits", "--workers", "16", "--cpu-prof", "/tmp/prof"]),
    ).toMatchObject({
      latencyMs: 5,
      noLimits: true,
      workers: 16,
      realLimits: false,
      cpuProfDir: "/tmp/prof",
    });
    expect(options(["--latency-ms", "0"]).latencyMs).toBe(0);
    for (const bad of ["-1", "2.5", "five", "60001"])
      expect(() => options([`--latency-ms=${bad}`])).toThrow(
        `--latency-ms must be a whole number of ms from 0 to 60000, got ${bad}`,
      );
    expect(() => options(["--no-limits", "--real-limits"])).toThrow(
      "--no-limits and --real-limits cannot be combined",
    );
    expect(() => options(["--no-limits=yes"])).toThrow();
  });

  it("plans kills in the middle of the run, the same for the same seed", () => {
    const a = planKills(1000, 4, seededRandom("x"));
    expect(a).toEqual(planKills(1000, 4, seededRandom("x")));
    expect(a).not.toEqual(planKills(1000, 4, seededRandom("y")));
    for (const k of a) {
      expect(k.afterAccounts).toBeGreaterThanOrEqual(150);
      expect(k.afterAccounts).toBeLessThanOrEqual(850);
    }
    expect(a.map((k) => k.afterAccounts)).toEqual([...a.map((k) => k.afterAccounts)].sort((x, y) => x - y));
  });
});
