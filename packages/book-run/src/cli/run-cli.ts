import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { type DemoOptions, HELP, OptionError, parseDemoOptions } from "../demo/demo-options.js";
import type { SandboxPort, ServersPort } from "../demo/ports.js";
import { runDemo } from "../demo/run-demo.js";
import { sendCapFor, serverEnv } from "../demo/server-env.js";
import { SERVER_NAMES, type ServerName } from "../policy/index.js";
import { htmlReport } from "../report/html-report.js";
import { textReport } from "../report/text-report.js";

/** What the command line needs from outside: how to start the emulators and the servers. */
export interface CliDeps {
  defaultSeed: string;
  startSandbox(options: DemoOptions): Promise<SandboxPort>;
  /** `nodeArgs`: flags every server's Node starts with (`--cpu-prof`). */
  startServers(
    envOf: (name: ServerName) => Record<string, string>,
    nodeArgs?: string[],
  ): Promise<ServersPort>;
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
  now?: () => number;
}

/**
 * The book run's command line: options → emulators → servers → run → report. Resolves with
 * the exit code: 0 when the exactly-once check passed, 1 when it failed, 2 for a bad option or
 * something that would not start.
 */
export async function runCli(argv: string[], deps: CliDeps): Promise<number> {
  let options: DemoOptions;
  try {
    options = parseDemoOptions(argv, deps.defaultSeed, new Date().toISOString().slice(0, 10));
  } catch (error) {
    if (!(error instanceof OptionError)) throw error;
    deps.stderr.write(`gtm-mcp-book-run: ${error.message} (see --help)\n`);
    return 2;
  }
  if (options.help) {
    deps.stdout.write(`${HELP}\n`);
    return 0;
  }
  const stateDir = mkdtempSync(join(tmpdir(), "gtm-book-run-"));
  let sandbox: SandboxPort | undefined;
  let servers: ServersPort | undefined;
  try {
    try {
      sandbox = await deps.startSandbox(options);
      const env = {
        sandboxEnv: sandbox.serverEnv,
        redis: options.redis,
        stateDir,
        accounts: options.accounts,
        runDate: options.runDate,
      };
      const nodeArgs = options.cpuProfDir ? ["--cpu-prof", "--cpu-prof-dir", options.cpuProfDir] : undefined;
      servers = await deps.startServers((name) => serverEnv(name, env), nodeArgs);
    } catch (error) {
      deps.stderr.write(`gtm-mcp-book-run: could not start: ${(error as Error).message.split("\n")[0]}\n`);
      return 2;
    }
    deps.stderr.write(
      `book-run: ${Math.min(options.accounts, sandbox.book.length)} accounts, ${options.workers} workers, servers ${SERVER_NAMES.join(", ")}${options.chaos ? ", chaos on" : ""}${options.latencyMs > 0 ? `, ${options.latencyMs} ms emulator latency` : ""}${options.noLimits ? ", no rate limits" : ""}\n`,
    );
    const report = await runDemo(options, {
      sandbox,
      servers,
      liveStream: deps.stderr,
      clock: { sleep: (ms) => sleep(ms), random: Math.random },
      now: deps.now ?? (() => performance.now()),
      sendCap: sendCapFor(options.accounts),
      storeName: options.redis ? "redis" : "sqlite",
    });
    deps.stdout.write(textReport(report));
    if (options.reportJson) writeFileSync(options.reportJson, `${JSON.stringify(report, null, 2)}\n`);
    if (options.reportHtml) writeFileSync(options.reportHtml, htmlReport(report));
    return report.check.passed ? 0 : 1;
  } finally {
    await servers?.close().catch(() => {});
    await sandbox?.stop().catch(() => {});
    rmSync(stateDir, { recursive: true, force: true });
  }
}
