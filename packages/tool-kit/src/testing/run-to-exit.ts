import { spawn } from "node:child_process";

/** Options of {@link runToExit}. */
export interface RunToExitOptions {
  /** The server's entry (`dist/main.js`). */
  entry: string;
  /** Its environment besides `PATH` (which is passed through). */
  env: Record<string, string>;
  /** Arguments after the entry. */
  args?: string[];
  /** How long to wait for the exit before killing it and rejecting; default 45 s (a bound for giving up, not a speed claim). */
  timeoutMs?: number;
}

/** How a process ended, and everything it wrote. */
export interface ProcessExit {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs a built server until it exits on its own — a refusal to start, say — and resolves with
 * its exit code and output. Asynchronous, so a stub in the test's own process can answer the
 * server meanwhile. Rejects (after a SIGKILL) when it has not exited within `timeoutMs`, with
 * its stderr in the message.
 */
export function runToExit(options: RunToExitOptions): Promise<ProcessExit> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [options.entry, ...(options.args ?? [])], {
      env: { PATH: process.env.PATH ?? "", ...options.env },
      stdio: ["pipe", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => {
      stdout += d;
    });
    child.stderr.on("data", (d) => {
      stderr += d;
    });
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`the server did not exit; stderr: ${stderr}`));
    }, options.timeoutMs ?? 45_000);
    child.on("exit", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}
