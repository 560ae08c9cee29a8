// Section 6, book-run efficiency: the book run (`pnpm demo`) over the sandbox with a fixed
// emulator latency and no rate limits, against the latency-bound ideal. With every vendor
// request held exactly `latencyMs` and nothing else to wait for, `workers` accounts in flight
// cannot finish faster than (emulator requests on one account's critical path × latencyMs) ×
// accounts ÷ workers; efficiency = that ideal ÷ the run's wall time.
import { execFileSync, spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { startRedisServer } from "@gtm-mcp/tool-kit/testing";
import { ROOT } from "./processes.mjs";

const BOOK_RUN = `${ROOT}packages/book-run/dist/cli/main.js`;

/**
 * The email server's `list_recent_threads` reads the messages that `messages.list` returned
 * this many at a time (`CONCURRENCY` in servers/email/src/tools/list-recent-threads.ts), so k
 * listed messages put ceil(k / 5) latencies on the account's critical path, not k.
 */
export const EMAIL_MESSAGE_CONCURRENCY = 5;

let clockTicks;
/** CPU time (ms) of this process's waited-for children and their waited-for descendants (`/proc/self/stat` cutime + cstime); null without /proc. */
function childrenCpuMs() {
  let stat;
  try {
    stat = readFileSync("/proc/self/stat", "utf8");
  } catch {
    return null;
  }
  clockTicks ??= Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim()) || 100;
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  // Fields 16 and 17 (1-based) of the whole line; `fields` starts at field 3.
  return ((Number(fields[13]) + Number(fields[14])) * 1000) / clockTicks;
}

/**
 * Emulator requests on one account's critical path, from the emulators' own counts: every
 * request the emulators held (`faults.injected.latency`), less the Gmail `messages.get`
 * requests the email server overlaps (k listed → ceil(k / 5) on the path).
 */
export function criticalPathRequests(report) {
  const held = report.faults.injected.latency ?? 0;
  const requests = report.emulators?.requests;
  if (!requests) throw new Error("the book run's report carries no emulator request counts");
  const gets = requests.byVendor.gmail?.["messages.get"] ?? 0;
  let sequentialGets = 0;
  for (const [k, lists] of Object.entries(requests.messagesListSizes ?? {}))
    sequentialGets += lists * Math.ceil(Number(k) / EMAIL_MESSAGE_CONCURRENCY);
  // The gets the lists announced bound the overlap: more gets than listed ids (a retry) stay sequential.
  const listed = Object.entries(requests.messagesListSizes ?? {}).reduce(
    (n, [k, lists]) => n + Number(k) * lists,
    0,
  );
  const overlapped = Math.max(0, Math.min(gets, listed) - sequentialGets);
  return { held, total: requests.total, gets, sequentialGets, onPath: held - overlapped };
}

/**
 * Runs the built book run as a child process and reads its JSON report. Whole-run CPU is
 * the child's and its servers' (they are its children, reaped before it exits), and with
 * `store: "redis"` the Redis server's (a fresh one started here, stopped before reading),
 * read as this process's `cutime + cstime` before and after; the run's own report splits the
 * CPU of the run itself between the book-run process (the emulators run in it) and each server.
 */
export async function benchBookRun({
  accounts = 4000,
  workers = 16,
  latencyMs = 5,
  store = "sqlite",
  quiet = false,
} = {}) {
  const dir = mkdtempSync(join(tmpdir(), "gtm-bench-book-run-"));
  const reportPath = join(dir, "report.json");
  let redis;
  try {
    const loadBefore = loadavg();
    const cpuBefore = childrenCpuMs();
    const started = performance.now();
    // A fresh Redis for every run: the book run's keys are per occurrence (run date).
    if (store === "redis") redis = await startRedisServer();
    const args = [
      BOOK_RUN,
      "--accounts",
      String(accounts),
      "--workers",
      String(workers),
      "--latency-ms",
      String(latencyMs),
      "--no-limits",
      "--report-json",
      reportPath,
      ...(redis ? ["--redis", redis.url] : []),
    ];
    const code = await new Promise((resolve, reject) => {
      const child = spawn(process.execPath, args, {
        stdio: ["ignore", "ignore", quiet ? "ignore" : "inherit"],
      });
      child.once("error", reject);
      child.once("exit", (c, signal) => resolve(c ?? signal));
    });
    await redis?.stop();
    redis = undefined;
    const wholeWallMs = performance.now() - started;
    const cpuAfter = childrenCpuMs();
    const loadAfter = loadavg();
    if (code !== 0) throw new Error(`the book run exited ${code}`);
    const report = JSON.parse(readFileSync(reportPath, "utf8"));
    const path = criticalPathRequests(report);
    const n = report.accounts.total;
    const perAccount = path.onPath / n;
    const idealMs = (perAccount * latencyMs * n) / workers;
    const wallTimeMs = report.run.wallTimeMs;
    const serversMs = report.cpu?.serversMs ?? {};
    const emulatorsMs = report.cpu?.emulatorsMs ?? null;
    const runCpuMs =
      (report.cpu?.bookRunMs ?? 0) +
      (emulatorsMs ?? 0) +
      Object.values(serversMs).reduce((a, b) => a + (b ?? 0), 0);
    const wholeCpuMs = cpuBefore === null || cpuAfter === null ? null : cpuAfter - cpuBefore;
    return {
      store,
      accounts: n,
      workers,
      latencyMs,
      limits: report.emulators?.limits,
      checkPassed: report.check.passed,
      calls: report.tools.reduce((a, t) => a + t.calls, 0),
      requests: report.emulators?.requests,
      requestsHeld: path.held,
      requestsPerAccount: path.held / n,
      criticalPathRequestsPerAccount: perAccount,
      criticalPathSource:
        "emulators' counts: requests held by the fixed latency (faults.injected.latency), less Gmail messages.get overlapped 5 at a time (messagesListSizes)",
      sequentialLatencyPerAccountMs: perAccount * latencyMs,
      wallTimeMs,
      idealMs,
      efficiency: idealMs / wallTimeMs,
      accountsPerSecond: n / (wallTimeMs / 1000),
      // Per tool: calls and latency as the run's client saw them (ms).
      tools: Object.fromEntries(
        report.tools.map((t) => [`${t.server}/${t.tool}`, { calls: t.calls, p50: t.p50, p95: t.p95 }]),
      ),
      cpu: {
        // The run (first account to last): the book-run process (clients + emulators) and each server.
        runMs: runCpuMs,
        bookRunProcessMs: report.cpu?.bookRunMs ?? null,
        emulatorsMs,
        serversMs,
        perAccountMs: runCpuMs / n,
        // The run's CPU over what the machine's cores could give in its wall time.
        run_core_utilisation_ratio: runCpuMs / (wallTimeMs * cpus().length),
        // The best efficiency this CPU cost allows on this machine's cores, were it the only limit.
        cpu_bound_efficiency: idealMs / (runCpuMs / cpus().length),
        // The whole process tree from spawn to exit: book generation, emulator start (DuckDB
        // load), server spawn, the run, report, shutdown (and the Redis server, with Redis).
        wholeRunMs: wholeCpuMs,
      },
      wholeRunWallMs: wholeWallMs,
      loadAverage: { before: loadBefore, after: loadAfter },
      machine: {
        cpus: cpus().length,
        model: cpus()[0]?.model,
        node: process.version,
        at: new Date().toISOString(),
      },
    };
  } finally {
    await redis?.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
