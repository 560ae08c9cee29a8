import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { createServer, Socket } from "node:net";

/** A throwaway `redis-server` for tests and benchmarks, on 127.0.0.1. */
export interface RedisServerHandle {
  /** `redis://127.0.0.1:<port>`. */
  readonly url: string;
  readonly port: number;
  /** Stops the server (SIGTERM, then SIGKILL) and waits for it to exit. Idempotent. */
  stop(): Promise<void>;
  /** Starts it again on the same port (empty: nothing is persisted). */
  start(): Promise<void>;
  /** `stop()` then `start()`. */
  restart(): Promise<void>;
}

/** Options of {@link startRedisServer}. */
export interface StartRedisServerOptions {
  /** A fixed port; default a free one. */
  port?: number;
  /** The binary; default `REDIS_SERVER_BIN`, else `redis-server` on PATH. */
  binary?: string;
}

const MISSING_BINARY =
  "redis-server not found: install it (apt-get install -y redis-server) or set REDIS_URL to a running Redis";
const START_TIMEOUT_MS = 10_000;
const STOP_GRACE_MS = 3_000;

/**
 * Starts `redis-server --port <free port> --save '' --appendonly no` and resolves once it
 * answers PING. Rejects with an `Error` saying how to install it when the binary is missing,
 * and when it does not start within 10 s.
 */
export async function startRedisServer(options: StartRedisServerOptions = {}): Promise<RedisServerHandle> {
  const binary = options.binary ?? process.env.REDIS_SERVER_BIN ?? "redis-server";
  let port = options.port ?? (await freePort());
  let child: ChildProcess | undefined;
  // A free port can be taken between probing and binding; try a few when it was not fixed.
  for (let attempt = 1; ; attempt++) {
    try {
      child = await launch(binary, port);
      break;
    } catch (err) {
      if (options.port !== undefined || attempt >= 3 || (err as Error).message === MISSING_BINARY) throw err;
      port = await freePort();
    }
  }
  const handle: RedisServerHandle = {
    url: `redis://127.0.0.1:${port}`,
    port,
    async stop() {
      const running = child;
      child = undefined;
      if (running !== undefined) await terminate(running);
    },
    async start() {
      if (child === undefined) child = await launch(binary, port);
    },
    async restart() {
      await handle.stop();
      await handle.start();
    },
  };
  return handle;
}

async function launch(binary: string, port: number): Promise<ChildProcess> {
  const args = ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"];
  const child = spawn(binary, args, { stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  const collect = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-4000);
  };
  child.stdout?.on("data", collect);
  child.stderr?.on("data", collect);
  const failed = new Promise<never>((_, reject) => {
    child.once("error", (err: NodeJS.ErrnoException) =>
      reject(err.code === "ENOENT" ? new Error(MISSING_BINARY) : err),
    );
    child.once("exit", (code, signal) =>
      reject(new Error(`redis-server exited during start (${signal ?? code}): ${output.trim()}`)),
    );
  });
  failed.catch(() => {});
  const deadline = Date.now() + START_TIMEOUT_MS;
  try {
    while (!(await Promise.race([answersPing(port), failed]))) {
      if (Date.now() > deadline)
        throw new Error(`redis-server did not answer on port ${port}: ${output.trim()}`);
      await Promise.race([sleep(25), failed]);
    }
  } catch (err) {
    await terminate(child);
    throw err;
  }
  return child;
}

async function terminate(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, "exit");
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), STOP_GRACE_MS);
  await exited;
  clearTimeout(timer);
}

function answersPing(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = new Socket();
    let reply = "";
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(500, () => done(false));
    socket.once("error", () => done(false));
    socket.on("data", (chunk) => {
      reply += chunk.toString();
      if (reply.includes("\r\n")) done(reply.startsWith("+PONG"));
    });
    socket.connect(port, "127.0.0.1", () => socket.write("PING\r\n"));
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
