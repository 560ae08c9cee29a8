import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { spawnHttpServer, spawnStdioServer } from "@gtm-mcp/tool-kit/testing";
import { Client, StreamableHTTPClientTransport } from "@modelcontextprotocol/client";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type HubSpotStub, startHubSpotStub } from "./support/hubspot-stub.js";
import { ENTRY } from "./support/spawn-crm.js";

// Every registration line of the README, as pasted: the server starts with exactly the
// variables shown (plus HUBSPOT_BASE_URL at a stub, for the portal check) and a real MCP
// client connects the way that registration makes Claude Code connect.

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..");
/** The shell lines of a README's sh blocks, continuations joined. */
const shellLinesOf = (path: string) =>
  [...readFileSync(join(root, path), "utf8").matchAll(/```sh\n([\s\S]*?)```/g)]
    .flatMap((block) => block[1]!.replace(/\s*\\\n\s*/g, " ").split("\n"))
    .map((line) => line.trim());
const TOKEN = "pat-na1-readme-0123456789abcdef";
const MCP_TOKEN = "readme-mcp-token-0123456789";

const shellLines = shellLinesOf("servers/crm/README.md");
const rootLines = shellLinesOf("README.md");

/** Shell words of a line: double quotes kept together, `$HOME`, `$PWD` and the node resolved. */
function words(line: string, home: string): string[] {
  const expanded = line
    .replaceAll("$(command -v node)", process.execPath)
    .replaceAll("$HOME", home)
    .replaceAll("$PWD", root);
  // A word is a run of unquoted and double-quoted parts (`KEY="$HOME/x"` is one word).
  return [...expanded.matchAll(/(?:"[^"]*"|[^\s"]+)+/g)].map((m) => m[0].replaceAll('"', ""));
}

interface StdioRegistration {
  name: string;
  env: Record<string, string>;
  command: string;
  args: string[];
}

function stdioRegistrations(home: string): StdioRegistration[] {
  return shellLines
    .filter((line) => line.startsWith("claude mcp add "))
    .map((line) => {
      const [, , , name, ...rest] = words(line, home);
      const env: Record<string, string> = {};
      let i = 0;
      for (; rest[i] !== "--"; i++) {
        expect(rest[i], line).toBe("-e");
        const [key, ...value] = rest[++i]!.split("=");
        env[key!] = value.join("=");
      }
      const [command, ...args] = rest.slice(i + 1);
      return { name: name!, env, command: command!, args };
    });
}

let home: string;
let stub: HubSpotStub | undefined;

beforeEach(() => {
  home = mkdtempSync(join(tmpdir(), "crm-readme-"));
});
afterEach(async () => {
  await stub?.close();
  stub = undefined;
  rmSync(home, { recursive: true, force: true });
});

/** Writes every file a variable names (`…_FILE`) under the temporary HOME. */
function writeSecretFiles(env: Record<string, string>) {
  for (const [key, value] of Object.entries(env)) {
    if (!key.endsWith("_FILE")) continue;
    expect(value.startsWith(home), `${key} lives under $HOME`).toBe(true);
    mkdirSync(dirname(value), { recursive: true });
    writeFileSync(value, key === "GTM_HTTP_TOKENS_FILE" ? `${MCP_TOKEN}\n` : `${TOKEN}\n`, { mode: 0o600 });
  }
}

describe("the crm README's Claude Code registrations", () => {
  it("lists stdio lines for sandbox, staging and production, and an HTTP one, under distinct names", () => {
    const names = stdioRegistrations(home).map((r) => r.name);
    const http = [...shellLines, ...rootLines].filter((line) => line.startsWith("claude mcp add-json "));
    const all = [...names, ...http.map((line) => line.split(/\s+/)[3])];
    expect(names).toEqual(["crm-sandbox", "crm-staging", "crm-production"]);
    expect(all).toEqual(expect.arrayContaining(["crm-staging-http", "crm-sandbox-http"]));
    expect(new Set(all).size).toBe(all.length);
  });

  it.each(["crm-sandbox", "crm-staging", "crm-production"])("%s starts and serves a client", async (name) => {
    const registration = stdioRegistrations(home).find((r) => r.name === name)!;
    // The absolute path of a Node that runs the server, and the built entry.
    expect(registration.command).toBe(process.execPath);
    expect(registration.args).toEqual([ENTRY]);
    writeSecretFiles(registration.env);
    stub = await startHubSpotStub({ portalId: Number(registration.env.HUBSPOT_PORTAL_ID ?? 1) });
    const server = await spawnStdioServer({
      entry: registration.args[0]!,
      env: {
        ...registration.env,
        // The default store is a file under $HOME (production, read-only, opens none).
        HOME: home,
        HUBSPOT_BASE_URL: stub.url,
      },
    });
    try {
      const { tools } = await server.client.listTools();
      const listed = tools.map((t) => t.name);
      expect(listed).toContain("get_account");
      // Writes are on in the sandbox only, as the README says.
      expect(listed.includes("log_activity_note")).toBe(name === "crm-sandbox");
      const read = await server.call("get_account", { account_id: "42" });
      expect(read.error).toBeUndefined();
    } finally {
      await server.close();
    }
  });

  it.each([
    ["crm-staging-http", shellLines],
    ["crm-sandbox-http", rootLines],
  ])(
    "%s: the server line starts, and the registration connects with the token read at connect time",
    async (name, lines) => {
      const serverLine = lines.find((line) => line.endsWith("node servers/crm/dist/main.js --http"))!;
      const serverWords = words(serverLine, home);
      const env = Object.fromEntries(
        serverWords.slice(0, serverWords.indexOf("node")).map((word) => {
          const [key, ...value] = word.split("=");
          return [key!, value.join("=")];
        }),
      );
      writeSecretFiles(env);
      stub = await startHubSpotStub({ portalId: Number(env.HUBSPOT_PORTAL_ID ?? 1) });
      // The README's port may be taken on a test machine: any free one stands in for it.
      const server = await spawnHttpServer({
        entry: join(root, serverWords[serverWords.indexOf("node") + 1]!),
        env: {
          ...env,
          HOME: home,
          PATH: process.env.PATH ?? "",
          GTM_HTTP_PORT: "0",
          HUBSPOT_BASE_URL: stub.url,
        },
      });
      try {
        const addJson = lines.find((line) => line.startsWith(`claude mcp add-json ${name} `))!;
        const [, url, tokenFile] =
          /mcp-bearer\.mjs config\s+(\S+)\s+"([^"]+)"/.exec(addJson.replaceAll("$HOME", home)) ?? [];
        expect(url).toBe(`http://127.0.0.1:${env.GTM_HTTP_PORT}/mcp`);
        expect(tokenFile).toBe(env.GTM_HTTP_TOKENS_FILE);
        const config = spawnSync(
          process.execPath,
          [join(root, "scripts", "mcp-bearer.mjs"), "config", server.url, tokenFile!],
          { encoding: "utf8" },
        );
        expect(config.status).toBe(0);
        const registration = JSON.parse(config.stdout);
        expect(registration).toMatchObject({ type: "http", url: server.url });
        expect(config.stdout).not.toContain(MCP_TOKEN);
        // Rotated after registering: the helper reads the file when Claude Code connects.
        const rotated = "rotated-mcp-token-9876543210";
        writeFileSync(tokenFile!, `${rotated}\n${MCP_TOKEN}\n`);
        const helper = spawnSync("sh", ["-c", registration.headersHelper], { encoding: "utf8" });
        expect(helper.status).toBe(0);
        const headers = JSON.parse(helper.stdout);
        expect(headers).toEqual({ Authorization: `Bearer ${rotated}` });
        process.kill(server.child.pid!, "SIGHUP");
        const client = new Client({ name: "readme", version: "1.0.0" });
        // The server re-reads its tokens file on SIGHUP: retry until the rotated token is taken.
        let connected = false;
        for (let attempt = 0; attempt < 60 && !connected; attempt++) {
          try {
            await client.connect(
              new StreamableHTTPClientTransport(new URL(server.url), { requestInit: { headers } }),
            );
            connected = true;
          } catch {
            await new Promise((resolve) => setTimeout(resolve, 250));
          }
        }
        expect(connected).toBe(true);
        const { tools } = await client.listTools();
        expect(tools.map((t) => t.name)).toContain("search_accounts");
        await client.close();
      } finally {
        await server.stop();
      }
    },
  );
});
