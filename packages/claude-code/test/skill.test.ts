import { existsSync, lstatSync, realpathSync } from "node:fs";
import {
  AT_RISK_BELOW,
  DEFAULT_RETRY_LIMITS,
  EXPANSION_AT,
  RECENT_THREAD_DAYS,
  USAGE_DAYS,
  WORKFLOW_STEPS,
} from "@gtm-mcp/book-run/policy";
import { ERROR_CODE_LIST, isRetryable } from "@gtm-mcp/tool-kit/errors";
import { describe, expect, it } from "vitest";
import { frontMatter, markdownTable, ROOT, readJson } from "./repo-files.js";

const SKILL = "plugins/gtm-book/skills/work-the-book/SKILL.md";
const AGENT = "plugins/gtm-book/agents/book-worker.md";

describe("the work-the-book skill", () => {
  const { meta, body } = frontMatter(SKILL);

  it("has the front matter Claude Code reads: a kebab-case name and a description saying when to use it", () => {
    expect(meta.name).toBe("work-the-book");
    expect(typeof meta.description).toBe("string");
    expect((meta.description as string).length).toBeGreaterThan(50);
    expect((meta.description as string).length).toBeLessThanOrEqual(1024);
    expect(meta.description).toMatch(/Use for/);
  });

  it("states the same workflow, in the same order, as the book run's policy module", () => {
    const rows = markdownTable(body, "Step");
    expect(
      rows.map(([step, tool, server, kind]) => ({ step, tool: tool!.replaceAll("`", ""), server, kind })),
    ).toEqual(WORKFLOW_STEPS.map(({ step, tool, server, kind }) => ({ step, tool, server, kind })));
  });

  it("states every error code of the tool-kit's closed list once, with the table's retryability", () => {
    const rows = markdownTable(body, "Code");
    const codes = rows.map(([code]) => code!.replaceAll("`", ""));
    expect([...codes].sort()).toEqual([...ERROR_CODE_LIST].sort());
    for (const [code, retryable] of rows) {
      const name = code!.replaceAll("`", "") as (typeof ERROR_CODE_LIST)[number];
      expect(retryable, name).toBe(isRetryable(name) ? "yes" : "no");
    }
  });

  it("states the decision rule's and the retry rule's numbers as the policy module has them", () => {
    // Compared with line breaks folded, as a reader sees the prose.
    const text = body.replace(/\s+/g, " ");
    expect(text).toContain(`At or above ${EXPANSION_AT} → \`expansion\``);
    expect(text).toContain(`below ${AT_RISK_BELOW} → \`at_risk\``);
    expect(text).toContain(`over the ${USAGE_DAYS} days`);
    expect(text).toContain(`\`days\` = ${USAGE_DAYS}`);
    expect(text).toContain(`\`days\` = ${RECENT_THREAD_DAYS}`);
    expect(text).toContain(`no thread in the last ${RECENT_THREAD_DAYS} days`);
    expect(text).toContain(`up to ${DEFAULT_RETRY_LIMITS.maxAttempts} attempts`);
    expect(text).toContain(
      `${DEFAULT_RETRY_LIMITS.baseBackoffMs / 1000} s doubling, at most ${DEFAULT_RETRY_LIMITS.maxWaitMs / 1000} s`,
    );
  });

  it("is what Claude Code finds in the project (.claude links into the plugin, so they cannot drift)", () => {
    for (const [link, target] of [
      [".claude/skills/work-the-book", "plugins/gtm-book/skills/work-the-book"],
      [".claude/agents/book-worker.md", AGENT],
    ] as const) {
      expect(lstatSync(`${ROOT}${link}`).isSymbolicLink(), link).toBe(true);
      expect(realpathSync(`${ROOT}${link}`)).toBe(realpathSync(`${ROOT}${target}`));
    }
  });
});

describe("the book-worker sub-agent", () => {
  const { meta } = frontMatter(AGENT);

  it("has a name, a description and a tool list limited to the four servers, with the skill preloaded", () => {
    expect(meta.name).toBe("book-worker");
    expect(meta.description).toMatch(/slice of the sales book/);
    const tools = String(meta.tools)
      .split(",")
      .map((t) => t.trim());
    for (const tool of tools) expect(tool).toMatch(/^mcp__(crm|enrichment|warehouse|email)__[a-z_]+$/);
    expect(meta.skills).toBe("work-the-book");
  });
});

describe("the gtm-book plugin and its marketplace", () => {
  const plugin = readJson<Record<string, unknown>>("plugins/gtm-book/.claude-plugin/plugin.json");
  const market = readJson<{
    name: string;
    owner: { name: string };
    plugins: Array<{ name: string; source: string; description?: string; version?: string }>;
  }>(".claude-plugin/marketplace.json");

  it("has a manifest with the documented fields", () => {
    expect(plugin.name).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
    expect(plugin.version).toMatch(/^\d+\.\d+\.\d+$/);
    expect(typeof plugin.description).toBe("string");
    expect((plugin.author as { name?: string }).name).toBeTruthy();
    const known = [
      "name",
      "version",
      "description",
      "author",
      "homepage",
      "repository",
      "license",
      "keywords",
    ];
    expect(Object.keys(plugin).filter((k) => !known.includes(k))).toEqual([]);
  });

  it("is listed by a marketplace whose entry names it and points inside the repository", () => {
    expect(market.name).toMatch(/^[A-Za-z0-9._-]+$/);
    expect(market.owner.name).toBeTruthy();
    expect(market.plugins).toHaveLength(1);
    const [entry] = market.plugins;
    expect(entry!.name).toBe(plugin.name);
    expect(entry!.version).toBe(plugin.version);
    expect(entry!.source).toMatch(/^\.\//);
    expect(entry!.source).not.toContain("..");
    expect(existsSync(`${ROOT}${entry!.source}/.claude-plugin/plugin.json`)).toBe(true);
    expect(existsSync(`${ROOT}${entry!.source}/skills/work-the-book/SKILL.md`)).toBe(true);
    expect(existsSync(`${ROOT}${entry!.source}/agents/book-worker.md`)).toBe(true);
    expect(existsSync(`${ROOT}${entry!.source}/.mcp.json`)).toBe(true);
  });
});
