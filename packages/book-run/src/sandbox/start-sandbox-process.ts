import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { bookHash, createAdminClient, generateBook, VENDORS } from "@gtm-mcp/sandbox";
import type { DemoOptions } from "../demo/demo-options.js";
import type { SandboxPort } from "../demo/ports.js";
import { processCpuMs } from "../servers/process-cpu.js";
import { latencyFaults, sandboxPort } from "./start-sandbox-port.js";

/** The built sandbox command line (`gtm-sandbox`), beside this package in the repository. */
export function sandboxEntry(): string {
  // src/sandbox/ and dist/sandbox/ both sit three levels below packages/.
  return fileURLToPath(new URL("../../../sandbox/dist/cli/main.js", import.meta.url));
}

/** Longest the emulators may take to listen (the 4,000-account warehouse loads in seconds). */
const START_TIMEOUT_MS = 120_000;

/** What `gtm-sandbox --json` prints once every emulator listens. */
interface SandboxStartLine {
  admin: Record<string, string>;
  env: Record<string, string>;
  book: { seed: string; accounts: number; hash: string };
}

/**
 * Starts the four emulators in a process of their own (the built `gtm-sandbox --json` on free
 * ports), so they have an event loop of their own instead of sharing the book run's with its
 * four MCP clients. The book is generated here too from the same seed (the same seed gives the
 * same book byte for byte; the hashes are compared) for the accounts to work. State, faults and
 * request counts go through the admin API, as before; `cpuMs` reads the process's CPU.
 *
 * @throws Error when the sandbox is not built, exits, or does not listen in time.
 */
export async function startSandboxProcess(
  options: DemoOptions,
  entry: string = sandboxEntry(),
): Promise<SandboxPort> {
  const latency = latencyFaults(options);
  const args = [
    entry,
    "--json",
    "--seed",
    options.seed,
    "--accounts",
    String(options.accounts),
    ...VENDORS.flatMap((v) => [`--${v}-port`, "0"]),
    ...(options.noLimits ? ["--no-limits"] : options.realLimits ? ["--real-limits"] : []),
    ...(options.latencyMs > 0 ? ["--latency-ms", String(options.latencyMs)] : []),
  ];
  const child = spawn(process.execPath, args, { stdio: ["ignore", "pipe", "pipe"] });
  let stderr = "";
  child.stderr?.on("data", (chunk) => {
    stderr += chunk;
  });
  // The emulators must not outlive the run, however it ends.
  const killOnExit = () => child.kill("SIGKILL");
  process.once("exit", killOnExit);
  const exited = once(child, "exit");
  try {
    const line = await firstLine(child, START_TIMEOUT_MS);
    const started = JSON.parse(line) as SandboxStartLine;
    const book = generateBook({ seed: options.seed, accounts: options.accounts });
    if (bookHash(book) !== started.book.hash)
      throw new Error("the emulators' book differs from the one generated here from the same seed");
    return sandboxPort({
      book,
      serverEnv: started.env,
      admin: createAdminClient(started.admin),
      latency,
      cpuMs: () => (child.pid === undefined ? null : processCpuMs(child.pid)),
      async stop() {
        if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
        await exited;
        process.removeListener("exit", killOnExit);
      },
    });
  } catch (error) {
    child.kill("SIGKILL");
    await exited;
    process.removeListener("exit", killOnExit);
    const detail = stderr.trim().split("\n").at(-1);
    throw new Error(
      `the emulators did not start: ${(error as Error).message}${detail ? ` (${detail})` : ""}`,
    );
  }
}

/** The first line the child writes on stdout; rejects when it exits first or takes too long. */
async function firstLine(child: ChildProcess, timeoutMs: number): Promise<string> {
  const lines = createInterface({ input: child.stdout! });
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      once(lines, "line").then(([line]) => String(line)),
      once(child, "exit").then(([code]) => Promise.reject(new Error(`gtm-sandbox exited ${code}`))),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer in ${timeoutMs / 1000} s`)), timeoutMs);
      }),
    ]);
  } finally {
    clearTimeout(timer);
    lines.close();
  }
}
