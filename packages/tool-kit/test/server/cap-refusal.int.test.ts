import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { StartupError } from "../../src/config/index.js";
import { createTestRuntime } from "../../src/testing/index.js";
import { createToolServer, defineTool } from "../../src/tools/index.js";

const here = dirname(fileURLToPath(import.meta.url));
const hooks = join(here, "..", "idempotency", "fixtures", "source-hooks.mjs");
const capServer = join(here, "fixtures", "cap-server.mjs");

const sendDraft = defineTool({
  name: "send_draft",
  title: "Send draft",
  description: "Sends a draft.",
  kind: "write",
  input: z.object({ draft_id: z.string().describe("Draft"), occurrence: z.string().describe("Occurrence") }),
  output: z.object({ sent: z.boolean() }),
  idempotency: { key: (a) => ({ target: a.draft_id, occurrence: a.occurrence }) },
  caps: ["sends"],
  handler: async () => ({ sent: true }),
});

describe("a tool that counts against a cap with no configured limit", () => {
  it("makes createToolServer throw a StartupError naming the tool and the cap", () => {
    const { runtime } = createTestRuntime();
    const build = () => createToolServer({ name: "t", version: "1", tools: [sendDraft], runtime });
    expect(build).toThrow(StartupError);
    expect(build).toThrow(/"send_draft".*"sends"/);
    const withLimit = createTestRuntime({ caps: { sends: 5 } }).runtime;
    expect(() =>
      createToolServer({ name: "t", version: "1", tools: [sendDraft], runtime: withLimit }),
    ).not.toThrow();
  });

  it("refuses to start over stdio: exit 2, one line naming the tool and the cap", () => {
    const dir = mkdtempSync(join(tmpdir(), "cap-refusal-"));
    try {
      const run = spawnSync(process.execPath, ["--import", hooks, capServer], {
        // Log lines (a new store is announced at warn) aside: the refusal itself is one line.
        env: {
          PATH: process.env.PATH ?? "",
          GTM_LOG_LEVEL: "error",
          GTM_STATE_URL: `sqlite:${join(dir, "s.sqlite")}`,
        },
        encoding: "utf8",
        input: "",
        timeout: 30_000,
      });
      expect(run.status).toBe(2);
      expect(run.stdout).toBe("");
      const lines = run.stderr.trim().split("\n");
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(
        /^gtm-mcp-capless: refusing to start: tool "send_draft" counts against cap "sends"/,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 40_000);
});
