import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { EmulatorState } from "../src/check/emulator-state.js";
import { parseDemoOptions } from "../src/demo/demo-options.js";
import type { SandboxPort } from "../src/demo/ports.js";
import { runDemo } from "../src/demo/run-demo.js";
import { sendCapFor, serverEnv } from "../src/demo/server-env.js";
import { SERVER_NAMES, WORKFLOW_STEPS } from "../src/policy/index.js";
import type { BookRunReport } from "../src/report/report.js";
import { startSandboxPort } from "../src/sandbox/start-sandbox-port.js";
import { serverEntry } from "../src/servers/server-entries.js";
import { ServerPool } from "../src/servers/server-pool.js";

// The CI book run: 200 accounts through the four BUILT servers (spawned over stdio) against
// the sandbox emulators, with chaos: faults in every emulator, servers SIGKILLed mid-run, then
// the same book again. Speed is printed, never asserted.
describe("the book run over the real servers and emulators, with chaos", () => {
  let sandbox: SandboxPort;
  let pool: ServerPool;
  let report: BookRunReport;
  let state: EmulatorState;
  const dir = mkdtempSync(join(tmpdir(), "book-run-ci-"));
  const options = parseDemoOptions(["--accounts", "200", "--chaos", "--seed", "ci-1"], "ci-1", "2026-11-29");

  beforeAll(async () => {
    for (const name of SERVER_NAMES)
      expect(existsSync(serverEntry(name)), `servers/${name} is built`).toBe(true);
    sandbox = await startSandboxPort(options);
    const env = {
      sandboxEnv: sandbox.serverEnv,
      redis: null,
      stateDir: dir,
      accounts: 200,
      runDate: options.runDate,
    };
    pool = await ServerPool.start(
      SERVER_NAMES.map((name) => ({ name, entry: serverEntry(name), env: serverEnv(name, env) })),
    );
    const started = performance.now();
    report = await runDemo(options, {
      sandbox,
      servers: pool,
      liveStream: process.stderr,
      clock: { sleep: (ms) => new Promise((r) => setTimeout(r, ms)), random: Math.random },
      now: () => performance.now(),
      sendCap: sendCapFor(200),
      storeName: "sqlite",
      liveIntervalMs: 5_000,
    });
    state = await sandbox.state();
    process.stderr.write(
      `book-run CI: 200 accounts with chaos and a second run in ${((performance.now() - started) / 1000).toFixed(1)} s; kills ${JSON.stringify(report.restarts)}\n`,
    );
  }, 300_000);

  afterAll(async () => {
    await pool?.close();
    await sandbox?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it("drives tools every server lists under the names the workflow uses", async () => {
    for (const step of WORKFLOW_STEPS) expect(await pool.listTools(step.server)).toContain(step.tool);
  });

  it("passes the exactly-once check, the second run included", () => {
    expect(report.check.items.filter((i) => !i.passed)).toEqual([]);
    expect(report.check.items.map((i) => i.name)).toContain("the second run made no new write");
  });

  it("made no new write in the second run: every write replayed, per tool", () => {
    expect(report.secondRun?.newWrites).toBe(0);
    expect(
      report.check.items.find((i) => i.name === "the second run replayed every write of the first"),
    ).toMatchObject({ passed: true });
    const replays = report.secondRun?.replaysByTool ?? {};
    for (const tool of ["log_activity_note", "create_outreach_draft", "send_draft"])
      expect(replays[tool], tool).toBeGreaterThan(0);
    const second = report.secondRun;
    expect((second?.writesReplayed ?? 0) + (second?.writesRefused ?? 0)).toBe(second?.writesAttempted);
  });

  it("reports counts that agree with the emulators' state", () => {
    const notes = report.accounts.notes;
    const drafts = report.accounts.drafts;
    const runNotes = state.notes.filter((n) => n.body.startsWith(`Book review ${options.runDate}:`));
    // Each write the run settled is held once; one it gave up on after an unknown outcome may be held or not.
    const held = (c: typeof notes) => c.written + c.reconciled + c.replayed;
    expect(runNotes.length).toBeGreaterThanOrEqual(held(notes));
    expect(runNotes.length).toBeLessThanOrEqual(held(notes) + notes.uncertain);
    expect(state.drafts.length).toBeGreaterThanOrEqual(held(drafts));
    expect(state.drafts.length).toBeLessThanOrEqual(held(drafts) + drafts.uncertain);
    // The run sends one recipient's draft in five (EMAIL_SEND_MODE=on), each once.
    const sends = report.accounts.sends!;
    expect(state.sends.length).toBeGreaterThan(0);
    expect(state.sends.length).toBeGreaterThanOrEqual(held(sends));
    expect(state.sends.length).toBeLessThanOrEqual(held(sends) + sends.uncertain);
    expect(state.sends.length).toBeLessThanOrEqual(sendCapFor(200));
    const injected = Object.values(report.faults.injected).reduce((a, b) => a + b, 0);
    expect(injected).toBeGreaterThan(0);
    expect(report.restarts.length).toBeGreaterThan(0);
    // The crm and email kills are aimed at a write in flight.
    const aimed = report.restarts.filter((k) => k.server === "crm" || k.server === "email");
    expect(aimed.length).toBeGreaterThanOrEqual(2);
    expect(aimed.filter((k) => k.during !== null).length).toBeGreaterThan(0);
    expect(report.accounts.total).toBe(200);
  });
});
