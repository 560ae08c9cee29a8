import { runCli } from "./run-cli.js";

// The CLI's only side effects: run one command with the process's argv and environment.
// SIGINT ends `calls report --follow` after a last report.
const interrupted = new AbortController();
process.once("SIGINT", () => interrupted.abort());
const code = await runCli(process.argv.slice(2), {
  env: process.env,
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  stdin: process.stdin,
  signal: interrupted.signal,
});
process.exitCode = code;
