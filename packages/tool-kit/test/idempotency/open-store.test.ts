import { homedir } from "node:os";
import { join, resolve } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { openStore, parseStateUrl } from "../../src/idempotency/open-store.js";

const scope = { server: "crm", env: "staging" };
const savedXdg = process.env.XDG_STATE_HOME;
afterEach(() => {
  if (savedXdg === undefined) delete process.env.XDG_STATE_HOME;
  else process.env.XDG_STATE_HOME = savedXdg;
});

describe("parseStateUrl", () => {
  it.each([
    ["redis://localhost:6379/0", { kind: "redis", url: "redis://localhost:6379/0" }],
    ["rediss://:secret@cache.internal:6380", { kind: "redis", url: "rediss://:secret@cache.internal:6380" }],
    ["sqlite:/var/lib/gtm/state.sqlite", { kind: "sqlite", path: "/var/lib/gtm/state.sqlite" }],
    ["sqlite:///var/lib/gtm/state.sqlite", { kind: "sqlite", path: "/var/lib/gtm/state.sqlite" }],
    ["sqlite:state/crm.sqlite", { kind: "sqlite", path: resolve("state/crm.sqlite") }],
    ["sqlite:~/gtm/crm.sqlite", { kind: "sqlite", path: join(homedir(), "gtm/crm.sqlite") }],
    ["sqlite::memory:", { kind: "sqlite", path: ":memory:" }],
  ])("reads %s", (url, expected) => {
    expect(parseStateUrl(url, scope)).toEqual(expected);
  });

  it("defaults to a file per server and environment under XDG_STATE_HOME", () => {
    process.env.XDG_STATE_HOME = "/srv/state";
    expect(parseStateUrl(undefined, scope)).toEqual({
      kind: "sqlite",
      path: "/srv/state/gtm-mcp/crm-staging.sqlite",
    });
    expect(parseStateUrl("  ", scope)).toEqual({
      kind: "sqlite",
      path: "/srv/state/gtm-mcp/crm-staging.sqlite",
    });
  });

  it("falls back to ~/.local/state without (or with a relative) XDG_STATE_HOME", () => {
    delete process.env.XDG_STATE_HOME;
    const expected = join(homedir(), ".local", "state", "gtm-mcp", "crm-staging.sqlite");
    expect(parseStateUrl(undefined, scope)).toEqual({ kind: "sqlite", path: expected });
    process.env.XDG_STATE_HOME = "relative/dir";
    expect(parseStateUrl(undefined, scope)).toEqual({ kind: "sqlite", path: expected });
  });

  it.each([
    "postgres://user:hunter22@db/state",
    "redis:localhost",
    "sqlite:",
    "/var/lib/state.sqlite",
    "memcached://x",
  ])("refuses %s, listing the accepted forms without echoing the value", (url) => {
    let message = "";
    try {
      parseStateUrl(url, scope);
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).toContain("redis://");
    expect(message).toContain("rediss://");
    expect(message).toContain("sqlite:<path>");
    expect(message).not.toContain("hunter22");
  });
});

describe("openStore", () => {
  it("opens the embedded store for sqlite: URLs", async () => {
    const store = await openStore({ url: "sqlite::memory:", server: "crm", env: "sandbox" });
    expect(store.kind).toBe("sqlite");
    expect(await store.ping()).toBe(true);
    await store.close();
  });

  it("refuses the embedded store in production, naming the fix", async () => {
    await expect(openStore({ url: "sqlite::memory:", server: "crm", env: "production" })).rejects.toThrow(
      /production.*GTM_STATE_URL=redis:\/\//,
    );
    await expect(openStore({ url: undefined, server: "crm", env: "production" })).rejects.toThrow(
      /production/,
    );
  });

  it("refuses a server name that would break key namespacing", async () => {
    await expect(openStore({ url: "sqlite::memory:", server: "crm}{x", env: "test" })).rejects.toThrow(
      /server/,
    );
  });
});
