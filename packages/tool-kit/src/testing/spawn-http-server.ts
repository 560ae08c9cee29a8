import { type ChildProcess, spawn } from "node:child_process";

/** Options of {@link spawnHttpServer}. */
export interface SpawnHttpServerOptions {
  /** The server's entry (`dist/main.js`); `--http` is added. */
  entry: string;
  /** The whole environment of the child (`GTM_HTTP_PORT` defaults to 0, `GTM_LOG_LEVEL` to info). */
  env: Record<string, string>;
  /** Node flags before the entry (`--import <hooks>`). */
  nodeArgs?: string[];
  /** How long to wait for the start line; default 15 s. */
  timeoutMs?: number;
}

/** A server process serving Streamable HTTP. */
export interface SpawnedHttpServer {
  readonly child: ChildProcess;
  /** The MCP endpoint from the start line: `http://127.0.0.1:<port>/mcp` by default. */
  readonly url: string;
  /** The endpoint's origin: `http://127.0.0.1:<port>`. */
  readonly origin: string;
  readonly port: number;
  /** Everything written to stdout (over HTTP: nothing, ever). */
  stdout(): string;
  stderr(): string;
  /** The JSON log lines on stderr so far. */
  logs(): Array<Record<string, unknown>>;
  /** Resolves with the exit code. */
  readonly exited: Promise<number | null>;
  /** Sends `signal` (SIGTERM by default) and resolves with the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/**
 * Spawns `node <entry> --http` with `GTM_HTTP_PORT=0` and resolves once its start line
 * names the bound port. Rejects (and kills the child) when it exits first or does not start
 * in time, with its stderr in the message.
 */
export async function spawnHttpServer(options: SpawnHttpServerOptions): Promise<SpawnedHttpServer> {
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), options.entry, "--http"], {
    env: { GTM_HTTP_PORT: "0", GTM_LOG_LEVEL: "info", ...options.env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout?.on("data", (d) => {
    stdout += d;
  });
  child.stderr?.on("data", (d) => {
    stderr += d;
  });
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  const logs = () =>
    stderr
      .split("\n")
      .filter((line) => line.startsWith("{"))
      .map((line) => JSON.parse(line) as Record<string, unknown>);
  const until = Date.now() + (options.timeoutMs ?? 15_000);
  let start: { port: number; url: string } | undefined;
  let gone = false;
  void exited.then(() => {
    gone = true;
  });
  while (start === undefined) {
    const line = logs().find((l) => typeof l.port === "number" && typeof l.url === "string");
    if (line !== undefined) {
      start = { port: line.port as number, url: line.url as string };
      break;
    }
    if (gone || Date.now() > until) {
      child.kill("SIGKILL");
      throw new Error(`the server did not start serving HTTP: ${stderr.trim() || "(no output)"}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return {
    child,
    url: start.url,
    origin: new URL(start.url).origin,
    port: start.port,
    stdout: () => stdout,
    stderr: () => stderr,
    logs,
    exited,
    stop(signal = "SIGTERM") {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}
