import { runCli } from "./run-cli.js";

// The CLI's only side effects: run one command with the process's argv and environment.
const code = await runCli(process.argv.slice(2), {
  env: process.env,
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
});
process.exitCode = code;
