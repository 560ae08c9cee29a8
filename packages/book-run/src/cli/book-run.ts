// The book run's command line: it is a client, not a server, so the report goes to stdout
// and the live view to stderr.
import { existsSync } from "node:fs";
import { DEFAULT_SEED } from "@gtm-mcp/sandbox";
import { SERVER_NAMES } from "../policy/index.js";
import { startSandboxPort } from "../sandbox/start-sandbox-port.js";
import { startSandboxProcess } from "../sandbox/start-sandbox-process.js";
import { serverEntry } from "../servers/server-entries.js";
import { ServerPool } from "../servers/server-pool.js";
import { runCli } from "./run-cli.js";

process.exitCode = await runCli(process.argv.slice(2), {
  defaultSeed: DEFAULT_SEED,
  startSandbox: (options) =>
    options.inlineEmulators ? startSandboxPort(options) : startSandboxProcess(options),
  async startServers(envOf, nodeArgs) {
    const missing = SERVER_NAMES.filter((name) => !existsSync(serverEntry(name)));
    if (missing.length > 0)
      throw new Error(`not built: ${missing.map((name) => `servers/${name}`).join(", ")} (run pnpm build)`);
    return ServerPool.start(
      SERVER_NAMES.map((name) => ({
        name,
        entry: serverEntry(name),
        env: envOf(name),
        ...(nodeArgs ? { nodeArgs } : {}),
      })),
    );
  },
  stdout: process.stdout,
  stderr: process.stderr,
});
