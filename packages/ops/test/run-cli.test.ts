import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type IdempotencyStore, openStore } from "@gtm-mcp/tool-kit/idempotency";
import { type RedisServerHandle, startRedisServer } from "@gtm-mcp/tool-kit/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../src/cli/run-cli.js";

interface Ran {
  code: number;
  stdout: string;
  stderr: string;
}

async function cli(stateUrl: string, ...argv: string[]): Promise<Ran> {
  let stdout = "";
  let stderr = "";
  const code = await runCli(argv, {
    env: { GTM_STATE_URL: stateUrl },
    stdout: (t) => {
      stdout += t;
    },
    stderr: (t) => {
      stderr += t;
    },
  });
  return { code, stdout, stderr };
}

const KEY = `log_activity_note:${"a".repeat(64)}`;

/** A store with one completed write (2 units of `writes` in run-1), and two reviews. */
async function seed(store: IdempotencyStore): Promise<{ reviewIds: string[] }> {
  for (const [key, owner] of [
    [KEY, "owner-1"],
    [`upsert_lead:${"b".repeat(64)}`, "owner-2"],
  ] as const) {
    const claimed = await store.claim({
      key,
      fingerprint: "f".repeat(64),
      fieldHashes: { account_id: "1" },
      owner,
      leaseMs: 30_000,
      ttlMs: 3_600_000,
      caps: [{ name: "writes", runId: "run-1", limit: 10 }],
    });
    expect(claimed.status).toBe("acquired");
  }
  await store.complete(KEY, "owner-1", { kind: "ok", result: { note_id: "n1" } }, 3_600_000);
  const reviewIds = [];
  for (const code of ["PERMISSION_DENIED", "UPSTREAM_REJECTED"] as const) {
    reviewIds.push(
      await store.addReview({
        tool: "log_activity_note",
        idempotencyKey: KEY,
        args: { account_id: "1", body: "[REDACTED]" },
        error: { code, message: `HubSpot said no (${code})`, retryable: false, sideEffect: "none" },
      }),
    );
  }
  return { reviewIds };
}

function contract(name: string, setup: () => Promise<string>) {
  describe(`gtm-mcp ops CLI on ${name}`, () => {
    let url: string;
    let reviewIds: string[];

    beforeAll(async () => {
      url = await setup();
      const store = await openStore({ server: "crm", env: "sandbox", url });
      try {
        ({ reviewIds } = await seed(store));
      } finally {
        await store.close();
      }
    });

    it("lists open reviews as an aligned table, and as JSON with --json", async () => {
      const table = await cli(url, "review", "list");
      expect(table.code).toBe(0);
      const lines = table.stdout.trimEnd().split("\n");
      expect(lines[0]).toMatch(/^ID\s+STATUS\s+TOOL\s+CODE\s+CREATED\s+MESSAGE$/);
      expect(lines).toHaveLength(2 + 2);
      // Aligned: every row's STATUS column starts where the header's does.
      const at = lines[0]!.indexOf("STATUS");
      for (const line of lines.slice(2)) expect(line.slice(at, at + 4)).toBe("open");
      const json = await cli(url, "review", "list", "--json");
      const doc = JSON.parse(json.stdout) as { reviews: Array<{ id: string; error: { code: string } }> };
      expect(doc.reviews.map((r) => r.id).sort()).toEqual([...reviewIds].sort());
    });

    it("resolves a review recording who and why, then refuses to resolve it again", async () => {
      const id = reviewIds[0]!;
      const done = await cli(
        url,
        "review",
        "resolve",
        id,
        "--by",
        "ana@example.com",
        "--reason",
        "portal scope fixed",
      );
      expect(done.code).toBe(0);
      expect(done.stdout).toContain("ana@example.com");
      const shown = JSON.parse((await cli(url, "review", "show", id, "--json")).stdout) as {
        status: string;
        resolution: string;
      };
      expect(shown.status).toBe("resolved");
      expect(JSON.parse(shown.resolution)).toEqual({ by: "ana@example.com", reason: "portal scope fixed" });
      const again = await cli(url, "review", "resolve", id, "--by", "bo", "--reason", "again");
      expect(again.code).toBe(1);
      expect(again.stderr).toMatch(/already resolved/);
      const open = JSON.parse((await cli(url, "review", "list", "--json")).stdout) as { reviews: unknown[] };
      expect(open.reviews).toHaveLength(1);
    });

    it("needs --by and --reason to resolve (exit 2, one line)", async () => {
      const ran = await cli(url, "review", "resolve", reviewIds[1]!, "--by", "ana");
      expect(ran.code).toBe(2);
      expect(ran.stderr.trim().split("\n")).toHaveLength(1);
      expect(ran.stderr).toMatch(/--reason/);
    });

    it("shows an idempotency record without its owner token, and exits 1 for an unknown key", async () => {
      const shown = await cli(url, "keys", "show", KEY);
      expect(shown.code).toBe(0);
      expect(shown.stdout).toMatch(/state:\s+completed/);
      const json = JSON.parse((await cli(url, "keys", "show", KEY, "--json")).stdout) as Record<
        string,
        unknown
      >;
      expect(json.state).toBe("completed");
      expect(json).not.toHaveProperty("owner");
      expect(JSON.stringify(json)).not.toContain("owner-1");
      const missing = await cli(url, "keys", "show", `log_activity_note:${"c".repeat(64)}`);
      expect(missing.code).toBe(1);
      expect(missing.stderr).toMatch(/no record/);
    });

    it("shows a run's cap usage; other runs and other servers count apart", async () => {
      const json = JSON.parse((await cli(url, "caps", "show", "--run", "run-1", "--json")).stdout) as {
        caps: Array<{ name: string; used: number }>;
      };
      expect(json.caps.find((c) => c.name === "writes")?.used).toBe(2);
      const other = JSON.parse(
        (await cli(url, "caps", "show", "--run", "run-2", "--json")).stdout,
      ) as typeof json;
      expect(other.caps.find((c) => c.name === "writes")?.used).toBe(0);
      const email = JSON.parse(
        (await cli(url, "caps", "show", "--run", "run-1", "--server", "email", "--json")).stdout,
      ) as typeof json;
      expect(email.caps.find((c) => c.name === "writes")?.used).toBe(0);
    });

    it("tells the store's kind, reachability and review counts", async () => {
      const info = JSON.parse((await cli(url, "store", "info", "--json")).stdout) as Record<string, unknown>;
      expect(info.kind).toBe(name === "Redis" ? "redis" : "sqlite");
      expect(info.reachable).toBe(true);
      expect(info.reviews).toEqual({ open: 1, resolved: 1 });
      // The same identity every time the store is opened: it names this store, not this process.
      const again = JSON.parse((await cli(url, "store", "info", "--json")).stdout) as Record<string, unknown>;
      expect(info.identity).toMatchObject({ id: expect.stringMatching(/^st_[0-9a-f]{16}$/) });
      expect(again.identity).toEqual(info.identity);
    });
  });
}

const dir = mkdtempSync(join(tmpdir(), "gtm-ops-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
contract("SQLite", async () => `sqlite:${join(dir, "state.sqlite")}`);

let redis: RedisServerHandle | undefined;
afterAll(async () => redis?.stop());
contract("Redis", async () => {
  if (process.env.REDIS_URL) return process.env.REDIS_URL;
  redis = await startRedisServer();
  return redis.url;
});

describe("gtm-mcp usage errors", () => {
  it("answers an unknown command, a bad --env and a bad state URL with exit 2 and one line", async () => {
    for (const argv of [
      ["frobnicate", "now"],
      ["store", "info", "--env", "prod"],
      ["review", "list", "--limit", "0"],
    ]) {
      const ran = await cli(`sqlite:${join(dir, "x.sqlite")}`, ...argv);
      expect(ran.code).toBe(2);
      expect(ran.stderr.trim().split("\n")).toHaveLength(1);
    }
    const bad = await cli("mysql://user:hunter2secret@db/x", "store", "info");
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/GTM_STATE_URL/);
    expect(bad.stderr).not.toContain("hunter2secret");
  });

  it("prints the usage with --help (exit 0)", async () => {
    const ran = await cli("sqlite::memory:", "--help");
    expect(ran.code).toBe(0);
    expect(ran.stdout).toMatch(/gtm-mcp review list/);
  });
});
