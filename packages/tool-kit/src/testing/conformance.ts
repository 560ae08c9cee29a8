import { spawn } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { startBearerProxy } from "./bearer-proxy.js";

/**
 * The scenarios of the official MCP conformance suite that apply to a server offering only
 * tools (no resources, prompts, sampling or logging): the handshake, ping, the tool listing,
 * and DNS-rebinding protection (a foreign Host or Origin refused, the server's own accepted).
 */
export const TOOLS_ONLY_SCENARIOS = [
  "server-initialize",
  "ping",
  "tools-list",
  "dns-rebinding-protection",
] as const;

/** One check of a scenario, as the suite reports it. */
export interface ConformanceCheck {
  id: string;
  status: "SUCCESS" | "FAILURE" | "WARNING" | "INFO" | string;
  errorMessage?: string;
}

/** How one scenario went. */
export interface ConformanceResult {
  scenario: string;
  /** The suite's exit code was 0 and no check failed. */
  passed: boolean;
  checks: ConformanceCheck[];
  /** The suite's own output, for a failure message. */
  output: string;
}

/** A server under test, as {@link runConformance} starts and stops it. */
export interface ServerUnderTest {
  /** `http://127.0.0.1:<port>`: where the server listens. */
  origin: string;
  stop(): Promise<unknown>;
}

/** Options of {@link runConformance}. */
export interface ConformanceOptions {
  /** A bearer token the server accepts. */
  token: string;
  /**
   * Starts the server with `allowedHosts` as its `GTM_HTTP_ALLOWED_HOSTS`: the proxy's
   * addresses, which are the server's public address behind it.
   */
  start(allowedHosts: string[]): Promise<ServerUnderTest>;
  /** Default {@link TOOLS_ONLY_SCENARIOS}. */
  scenarios?: readonly string[];
  /** How long one scenario may take; default 60 s. */
  timeoutMs?: number;
}

/**
 * Runs the official MCP conformance suite (`@modelcontextprotocol/conformance`) against a
 * server over Streamable HTTP. The suite takes only a URL and cannot send a bearer token, so
 * the server sits behind a local proxy that adds one (see `startBearerProxy`). Each scenario
 * runs in its own suite process; the results say which checks failed and why. For every
 * server's tests:
 *
 * ```ts
 * const results = await runConformance({ token, start: (hosts) => spawnHttpServer({ …, env: { GTM_HTTP_ALLOWED_HOSTS: hosts.join(",") } }) });
 * expect(results.filter((r) => !r.passed)).toEqual([]);
 * ```
 */
export async function runConformance(options: ConformanceOptions): Promise<ConformanceResult[]> {
  const proxy = await startBearerProxy({ token: options.token });
  const outDir = mkdtempSync(join(tmpdir(), "gtm-conformance-"));
  let server: ServerUnderTest | undefined;
  try {
    server = await options.start(proxy.allowedHosts);
    proxy.target(server.origin);
    const results: ConformanceResult[] = [];
    for (const scenario of options.scenarios ?? TOOLS_ONLY_SCENARIOS) {
      const dir = join(outDir, scenario);
      const run = await runSuite(
        ["server", "--url", `${proxy.origin}/mcp`, "--scenario", scenario, "-o", dir],
        options.timeoutMs ?? 60_000,
      );
      const checks = readChecks(dir);
      const failed = checks.some((check) => check.status === "FAILURE");
      results.push({
        scenario,
        passed: run.code === 0 && checks.length > 0 && !failed,
        checks,
        output: run.output,
      });
    }
    return results;
  } finally {
    await server?.stop();
    await proxy.close();
    rmSync(outDir, { recursive: true, force: true });
  }
}

/** The suite's entry, resolved from this package's dependencies. */
function suiteEntry(): string {
  const require = createRequire(import.meta.url);
  return join(dirname(require.resolve("@modelcontextprotocol/conformance/package.json")), "dist", "index.js");
}

/** Runs the suite in its own process (never synchronously: the proxy lives in this one). */
function runSuite(args: string[], timeoutMs: number): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [suiteEntry(), ...args], { stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (d) => {
      output += d;
    });
    child.stderr.on("data", (d) => {
      output += d;
    });
    const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

/** The checks a scenario saved (`<dir>/<scenario dir>/checks.json`); none when it saved nothing. */
function readChecks(dir: string): ConformanceCheck[] {
  try {
    const [sub] = readdirSync(dir);
    if (sub === undefined) return [];
    return JSON.parse(readFileSync(join(dir, sub, "checks.json"), "utf8")) as ConformanceCheck[];
  } catch {
    return [];
  }
}
