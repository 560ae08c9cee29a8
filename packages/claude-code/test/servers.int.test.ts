import { execFileSync, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { WORKFLOW_STEPS } from "@gtm-mcp/book-run/policy";
import { type Sandbox, startSandbox } from "@gtm-mcp/sandbox";
import { type SpawnedStdioServer, spawnStdioServer } from "@gtm-mcp/tool-kit/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { expandVars, frontMatter, ROOT, readJson, readText } from "./repo-files.js";

// The Claude Code configuration against the servers as built: each server is started from the
// plugin's .mcp.json exactly as Claude Code would (variables expanded, only the env block and
// PATH), pointed at sandbox emulators on free ports, and asked for its tools.

const SERVERS = ["crm", "enrichment", "warehouse", "email"] as const;
type ServerName = (typeof SERVERS)[number];

interface StdioEntry {
  command: string;
  args: string[];
  env: Record<string, string>;
}
interface McpConfig<E> {
  mcpServers: Record<string, E>;
}

interface ListedTool {
  name: string;
  readOnly: boolean;
}

const state = mkdtempSync(join(tmpdir(), "gtm-claude-code-"));
const vars = { GTM_MCP_HOME: ROOT.replace(/\/$/, "") };
let sandbox: Sandbox;
const spawned: SpawnedStdioServer[] = [];
const tools = {} as Record<ServerName, ListedTool[]>;

function expand(entry: StdioEntry): StdioEntry {
  return {
    command: expandVars(entry.command, vars),
    args: entry.args.map((a) => expandVars(a, vars)),
    env: Object.fromEntries(Object.entries(entry.env).map(([k, v]) => [k, expandVars(v, vars)])),
  };
}

/** Base URLs of the emulators started for this test (the configs leave them at their defaults). */
function emulatorUrls(): Record<string, string> {
  const { urls } = sandbox;
  return {
    HUBSPOT_BASE_URL: urls.hubspot!,
    PDL_BASE_URL: urls.pdl!,
    SNOWFLAKE_BASE_URL: urls.snowflake!,
    GMAIL_BASE_URL: urls.gmail!,
    GMAIL_TOKEN_URL: urls.gmailToken!,
  };
}

async function listTools(entry: StdioEntry, extra: Record<string, string> = {}): Promise<ListedTool[]> {
  expect(entry.command).toBe("node");
  const server = await spawnStdioServer({
    entry: entry.args[0]!,
    env: { ...entry.env, ...emulatorUrls(), XDG_STATE_HOME: state, ...extra },
  });
  spawned.push(server);
  const listed = await server.client.listTools();
  return listed.tools.map((t) => ({ name: t.name, readOnly: t.annotations?.readOnlyHint === true }));
}

beforeAll(async () => {
  sandbox = await startSandbox({ accounts: 20, ports: { hubspot: 0, pdl: 0, snowflake: 0, gmail: 0 } });
  const plugin = readJson<McpConfig<StdioEntry>>("plugins/gtm-book/.mcp.json");
  for (const name of SERVERS) {
    const entry = plugin.mcpServers[name];
    if (!entry) throw new Error(`the plugin's .mcp.json has no ${name} server`);
    // send_draft exists only when sends are enabled: list it with confirm mode.
    tools[name] = await listTools(expand(entry), name === "email" ? { EMAIL_SEND_MODE: "confirm" } : {});
  }
});

afterAll(async () => {
  await Promise.allSettled(spawned.map((s) => s.close()));
  await sandbox?.stop();
  rmSync(state, { recursive: true, force: true });
});

const all = () => SERVERS.flatMap((server) => tools[server].map((t) => ({ server, ...t })));
const rule = (server: string, tool: string) => `mcp__${server}__${tool}`;

describe("the plugin's .mcp.json and the .mcp.json examples", () => {
  it("start each of the four servers, which answer tools/list", () => {
    for (const name of SERVERS) expect(tools[name].length, name).toBeGreaterThan(0);
    expect(tools.crm.map((t) => t.name)).toContain("log_activity_note");
    expect(tools.email.map((t) => t.name)).toContain("send_draft");
  });

  it("the project example expands, with its defaults, to exactly the plugin's registrations", () => {
    const plugin = readJson<McpConfig<StdioEntry>>("plugins/gtm-book/.mcp.json");
    const example = readJson<McpConfig<StdioEntry>>(".mcp.json.example");
    expect(Object.keys(example.mcpServers).sort()).toEqual([...SERVERS].sort());
    for (const name of SERVERS)
      expect(expand(example.mcpServers[name]!)).toEqual(expand(plugin.mcpServers[name]!));
    // Every credential in the example is a ${VAR} placeholder, never a bare value.
    for (const entry of Object.values(example.mcpServers))
      for (const [key, value] of Object.entries(entry.env))
        expect(value, key).toMatch(/^\$\{[A-Z0-9_]+(:-[^}]*)?\}$/);
  });

  it("only set variables each server's --help lists", () => {
    const plugin = readJson<McpConfig<StdioEntry>>("plugins/gtm-book/.mcp.json");
    for (const name of SERVERS) {
      const entry = expand(plugin.mcpServers[name]!);
      const help = execFileSync(process.execPath, [entry.args[0]!, "--help"], { encoding: "utf8" });
      const listed = new Set([...help.matchAll(/^ {2}([A-Z][A-Z0-9_]+)\s/gm)].map((m) => m[1]));
      for (const key of Object.keys(entry.env)) expect(listed.has(key), `${name} ${key}`).toBe(true);
    }
  });

  it("the HTTP example reaches the four compose services with a headers helper that reads the token at connect time", () => {
    const http =
      readJson<McpConfig<{ type: string; url: string; headersHelper: string }>>(".mcp.http.json.example");
    const compose = parse(readText("docker-compose.yml"), { merge: true }) as {
      services: Record<string, { ports?: string[] }>;
    };
    expect(Object.keys(http.mcpServers).sort()).toEqual([...SERVERS].sort());
    const tokens = join(state, "tokens");
    mkdirSync(tokens, { recursive: true });
    for (const name of SERVERS) {
      const entry = http.mcpServers[name]!;
      expect(entry.type).toBe("http");
      expect(JSON.stringify(entry)).not.toMatch(/Bearer/);
      const port = /:(\d+)\/mcp$/.exec(expandVars(entry.url, {}))?.[1];
      expect(compose.services[`${name}-staging`]?.ports).toEqual([`127.0.0.1:${port}:8080`]);
      writeFileSync(join(tokens, name), `token-of-${name}-0123456789\nolder-token-0123456789\n`, {
        mode: 0o600,
      });
      const run = spawnSync("sh", ["-c", entry.headersHelper], {
        encoding: "utf8",
        env: { PATH: process.env.PATH ?? "", GTM_MCP_HOME: vars.GTM_MCP_HOME, GTM_MCP_TOKENS_DIR: tokens },
      });
      expect(run.stderr).toBe("");
      expect(JSON.parse(run.stdout)).toEqual({ Authorization: `Bearer token-of-${name}-0123456789` });
    }
  });
});

describe("the skill, the sub-agent and the permissions name the tools as the servers list them", () => {
  it("every tool the skill names exists on its server", () => {
    const { body } = frontMatter("plugins/gtm-book/skills/work-the-book/SKILL.md");
    const names = new Set(all().map((t) => t.name));
    const named = [...body.matchAll(/`([a-z]+(?:_[a-z]+)+)`/g)].map((m) => m[1]!);
    const toolLike = named.filter((n) => /^(get|list|log|create|send|search|update|upsert|find)_/.test(n));
    expect(toolLike.length).toBeGreaterThan(10);
    for (const name of toolLike) expect(names.has(name), name).toBe(true);
    for (const step of WORKFLOW_STEPS)
      expect(tools[step.server].find((t) => t.name === step.tool)?.readOnly, step.tool).toBe(
        step.kind === "read",
      );
  });

  it("settings.json allows every read tool, asks before every write, and denies send_draft", () => {
    const settings = readJson<{ permissions: { allow: string[]; ask: string[]; deny: string[] } }>(
      ".claude/settings.json",
    );
    const reads = all()
      .filter((t) => t.readOnly)
      .map((t) => rule(t.server, t.name));
    const writes = all()
      .filter((t) => !t.readOnly && t.name !== "send_draft")
      .map((t) => rule(t.server, t.name));
    expect([...settings.permissions.allow].sort()).toEqual(reads.sort());
    expect([...settings.permissions.ask].sort()).toEqual(writes.sort());
    expect(settings.permissions.deny).toEqual([rule("email", "send_draft")]);
  });

  it("the book-worker may call the workflow's tools and no tool that sends or edits account fields", () => {
    const { meta } = frontMatter("plugins/gtm-book/agents/book-worker.md");
    const granted = String(meta.tools)
      .split(",")
      .map((t) => t.trim());
    const existing = new Set(all().map((t) => rule(t.server, t.name)));
    for (const tool of granted) expect(existing.has(tool), tool).toBe(true);
    for (const step of WORKFLOW_STEPS) expect(granted).toContain(rule(step.server, step.tool));
    for (const banned of ["send_draft", "update_account_fields", "upsert_lead"])
      expect(
        granted.some((t) => t.endsWith(`__${banned}`)),
        banned,
      ).toBe(false);
  });
});
