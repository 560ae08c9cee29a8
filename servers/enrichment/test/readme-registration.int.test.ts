import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { spawnStdioServer } from "@gtm-mcp/tool-kit/testing";
import { afterEach, beforeEach, describe, expect, it } from "vitest";

// Every `claude mcp add` line of the README, as pasted: the server starts with exactly the
// variables shown (HOME is a temporary directory holding the key files) and a real MCP
// client connects over stdio as Claude Code would.

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..");
const KEY = "pdl-readme-key-0123456789abcdef";

/** The `claude mcp add` lines of the README's sh blocks, continuations joined. */
const registrationLines = [
  ...readFileSync(join(root, "servers/enrichment/README.md"), "utf8").matchAll(/```sh\n([\s\S]*?)```/g),
]
  .flatMap((block) => block[1]!.replace(/\s*\\\n\s*/g, " ").split("\n"))
  .map((line) => line.trim())
  .filter((line) => line.startsWith("claude mcp add "));

/** Shell words of a line: double quotes kept together, `$HOME`, `$PWD` and the node resolved. */
function words(line: string, home: string): string[] {
  const expanded = line
    .replaceAll("$(command -v node)", process.execPath)
    .replaceAll("$HOME", home)
    .replaceAll("$PWD", root);
  return [...expanded.matchAll(/(?:"[^"]*"|[^\s"]+)+/g)].map((m) => m[0].replaceAll('"', ""));
}

let home: string;
beforeEach(() => {
  home = mkdtempSync(join(tmpdir(), "enrichment-readme-"));
});
afterEach(() => rmSync(home, { recursive: true, force: true }));

describe("the README's registration lines", { timeout: 180_000 }, () => {
  it("name one registration per environment, distinctly", () => {
    const names = registrationLines.map((line) => words(line, home)[3]);
    expect(names).toEqual(["enrichment-sandbox", "enrichment-staging", "enrichment-production"]);
  });

  it("each start the server and connect; production without its Redis fails closed, sending nothing", async () => {
    for (const line of registrationLines) {
      const [, , , name, ...rest] = words(line, home);
      const env: Record<string, string> = { HOME: home, XDG_STATE_HOME: join(home, "state") };
      let i = 0;
      for (; rest[i] !== "--"; i++) {
        expect(rest[i], line).toBe("-e");
        const [key, ...value] = rest[++i]!.split("=");
        env[key!] = value.join("=");
      }
      const [command, entry] = rest.slice(i + 1);
      expect(command).toBe(process.execPath);
      for (const [key, value] of Object.entries(env)) {
        if (!key.endsWith("_FILE")) continue;
        mkdirSync(dirname(value), { recursive: true });
        writeFileSync(value, `${KEY}\n`, { mode: 0o600 });
      }
      const server = await spawnStdioServer({ entry: entry!, env });
      try {
        const { tools } = await server.client.listTools();
        expect(tools.map((t) => t.name).sort(), name).toEqual([
          "get_account_signals",
          "get_accounts_signals",
        ]);
        if (name === "enrichment-production") {
          // gtm-state.internal does not resolve here: the store is down, so no lookup may go out.
          const { error } = await server.call("get_account_signals", { domain: "acme.com" });
          expect(error).toMatchObject({ code: "STORE_UNAVAILABLE", retryable: true });
        }
      } finally {
        await server.close();
      }
      expect(server.stderr()).not.toContain(KEY);
    }
  });
});
