#!/usr/bin/env node
// Prints the size of each built server's tools/list answer as a model reads it (compact JSON),
// in the sandbox with writes on, so every tool is listed. Usage: pnpm tools-size [name...]
// (names as in servers/<name>; default: every built server). Run `pnpm build` first.
// Variables `--help` marks as required in the sandbox get a placeholder unless set in the
// environment; give any other a server checks at start the same way, e.g.
// `SNOWFLAKE_TOKEN=x SNOWFLAKE_ACCOUNT=x SNOWFLAKE_USER=x pnpm tools-size warehouse`.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { Client } from "@modelcontextprotocol/client";
import { StdioClientTransport } from "@modelcontextprotocol/client/stdio";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const names = process.argv.slice(2).length > 0 ? process.argv.slice(2) : readdirSync(join(root, "servers"));
const stateDir = mkdtempSync(join(tmpdir(), "gtm-mcp-tools-size-"));
let failed = false;

/** The variables `--help` marks as required in the sandbox (`NAME | NAME_FILE` or `NAME`). */
function requiredInSandbox(entry) {
  const help = spawnSync(process.execPath, [entry, "--help"], { encoding: "utf8" }).stdout;
  const required = [];
  let name;
  for (const line of help.split("\n")) {
    const head = /^ {2}([A-Z][A-Z0-9_]+)(?: \| [A-Z0-9_]+)? {2}/.exec(line);
    if (head) name = head[1];
    else if (name && /required in [^;]*\bsandbox\b/.test(line)) required.push(name);
  }
  return required;
}

try {
  for (const name of names) {
    const entry = join(root, "servers", name, "dist", "main.js");
    if (!existsSync(entry)) {
      console.error(`${name}: ${entry} is missing (run pnpm build)`);
      failed = true;
      continue;
    }
    const env = {
      PATH: process.env.PATH ?? "",
      ...process.env,
      GTM_ENV: "sandbox",
      GTM_ENABLE_WRITES: "true",
    };
    env.GTM_STATE_URL = `sqlite:${join(stateDir, `${name}.sqlite`)}`;
    env.GTM_LOG_LEVEL = "error";
    for (const variable of requiredInSandbox(entry)) {
      if (!env[variable] && !env[`${variable}_FILE`]) env[variable] = "sandbox-placeholder";
    }
    const transport = new StdioClientTransport({
      command: process.execPath,
      args: [entry],
      env,
      stderr: "inherit",
    });
    const client = new Client({ name: "tools-size", version: "0.0.0" });
    try {
      await client.connect(transport);
      const listed = await client.listTools();
      const bytes = Buffer.byteLength(JSON.stringify({ tools: listed.tools }));
      const widest = listed.tools
        .map((tool) => [tool.name, Buffer.byteLength(JSON.stringify(tool))])
        .sort((a, b) => b[1] - a[1])
        .map(([tool, size]) => `${tool} ${(size / 1024).toFixed(1)}`)
        .join(", ");
      console.log(
        `${name}: tools/list ${(bytes / 1024).toFixed(1)} KB compact (${bytes} bytes), ${listed.tools.length} tools: ${widest}`,
      );
    } catch (error) {
      console.error(`${name}: ${error instanceof Error ? error.message : String(error)}`);
      failed = true;
    } finally {
      await client.close().catch(() => undefined);
    }
  }
} finally {
  rmSync(stateDir, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);
