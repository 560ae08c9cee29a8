import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import {
  ConfigError,
  isLoopbackHost,
  loadHttpConfig,
  parseCli,
  renderHelp,
  SecretRegistry,
} from "../../src/config/index.js";
import { createScrubber } from "../../src/logging/index.js";

const T1 = "tok-one-0123456789abcdef";
const T2 = "tok-two-0123456789abcdef";
const dir = mkdtempSync(join(tmpdir(), "gtm-http-config-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const configError = (fn: () => unknown): ConfigError => {
  try {
    fn();
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error("expected a ConfigError");
};

const load = (env: NodeJS.ProcessEnv, secrets = new SecretRegistry()) => loadHttpConfig(env, secrets);

describe("loadHttpConfig", () => {
  it("defaults to 127.0.0.1:8080, the loopback Host list, no origins", () => {
    const config = load({ GTM_HTTP_TOKENS: T1 });
    expect(config).toMatchObject({
      host: "127.0.0.1",
      port: 8080,
      allowedHosts: undefined,
      allowedOrigins: [],
    });
    expect(config.tokens.parts()).toEqual([T1]);
  });

  it("refuses to serve HTTP without a token", () => {
    const error = configError(() => load({}));
    expect(error.variable).toBe("GTM_HTTP_TOKENS");
    expect(error.message).toMatch(/refusing to serve HTTP without authentication/);
  });

  it("refuses a short or malformed token, naming its position and never its value", () => {
    const short = configError(() => load({ GTM_HTTP_TOKENS: `${T1},short-token-1` }));
    expect(short.message).toMatch(/^GTM_HTTP_TOKENS: token 2 is too short: each token must be at least 16/);
    expect(short.message).not.toContain("short-token-1");
    const spaced = configError(() => load({ GTM_HTTP_TOKENS: "a token with spaces in it" }));
    expect(spaced.message).toMatch(/token 1 holds a character/);
    expect(spaced.message).not.toContain("spaces");
  });

  it("reads one token per line from GTM_HTTP_TOKENS_FILE and re-reads it on reload", async () => {
    const file = join(dir, "tokens");
    writeFileSync(file, `${T1}\n${T2}\n\n`);
    const secrets = new SecretRegistry();
    const config = load({ GTM_HTTP_TOKENS_FILE: file }, secrets);
    expect(config.tokens.parts()).toEqual([T1, T2]);

    writeFileSync(file, `${T2}\n`);
    expect(await secrets.reload()).toEqual({ changed: ["GTM_HTTP_TOKENS"], failed: [] });
    expect(config.tokens.parts()).toEqual([T2]);

    // A list with a bad token is refused whole: the tokens in force stay.
    writeFileSync(file, `${T1}\ntiny\n`);
    const failed = await secrets.reload();
    expect(failed.failed).toEqual([
      { name: "GTM_HTTP_TOKENS", problem: expect.stringMatching(/token 2 is too short/) },
    ]);
    expect(config.tokens.parts()).toEqual([T2]);
  });

  it("scrubs each token on its own, the rotated-out ones too", async () => {
    const file = join(dir, "tokens-scrub");
    writeFileSync(file, `${T1}\n${T2}\n`);
    const secrets = new SecretRegistry();
    load({ GTM_HTTP_TOKENS_FILE: file }, secrets);
    const scrubber = createScrubber(() => secrets.values());
    expect(scrubber.text(`Authorization: Bearer ${T2}`)).toBe("Authorization: Bearer [REDACTED]");
    writeFileSync(file, "tok-three-0123456789abcdef\n");
    await secrets.reload();
    expect(scrubber.text(`old ${T1}, new tok-three-0123456789abcdef`)).toBe("old [REDACTED], new [REDACTED]");
  });

  it("requires GTM_HTTP_ALLOWED_HOSTS when listening beyond loopback", () => {
    const error = configError(() => load({ GTM_HTTP_TOKENS: T1, GTM_HTTP_HOST: "0.0.0.0" }));
    expect(error.variable).toBe("GTM_HTTP_ALLOWED_HOSTS");
    const config = load({
      GTM_HTTP_TOKENS: T1,
      GTM_HTTP_HOST: "0.0.0.0",
      GTM_HTTP_ALLOWED_HOSTS: " MCP.example.com , mcp.internal:8080,",
    });
    expect(config.allowedHosts).toEqual(["mcp.example.com", "mcp.internal:8080"]);
    expect(
      configError(() => load({ GTM_HTTP_TOKENS: T1, GTM_HTTP_ALLOWED_HOSTS: "http://x" })).variable,
    ).toBe("GTM_HTTP_ALLOWED_HOSTS");
  });

  it("parses the port (0 for a free one) and the origins, and names a bad one", () => {
    expect(load({ GTM_HTTP_TOKENS: T1, GTM_HTTP_PORT: "0" }).port).toBe(0);
    expect(configError(() => load({ GTM_HTTP_TOKENS: T1, GTM_HTTP_PORT: "70000" })).message).toMatch(
      /^GTM_HTTP_PORT: expected at most 65535/,
    );
    const config = load({
      GTM_HTTP_TOKENS: T1,
      GTM_HTTP_ALLOWED_ORIGINS: "https://App.example.com/,http://localhost:3000",
    });
    expect(config.allowedOrigins).toEqual(["https://app.example.com", "http://localhost:3000"]);
    expect(
      configError(() => load({ GTM_HTTP_TOKENS: T1, GTM_HTTP_ALLOWED_ORIGINS: "https://a.example/path" }))
        .variable,
    ).toBe("GTM_HTTP_ALLOWED_ORIGINS");
  });

  it("knows loopback addresses", () => {
    for (const host of ["127.0.0.1", "127.1.2.3", "localhost", "::1", "[::1]"])
      expect(isLoopbackHost(host)).toBe(true);
    for (const host of ["0.0.0.0", "::", "10.0.0.1", "mcp.example.com"])
      expect(isLoopbackHost(host)).toBe(false);
  });
});

describe("--http on the command line and in --help", () => {
  it("parses --http and still refuses unknown flags", () => {
    expect(parseCli(["--http"])).toEqual({ help: false, version: false, http: true });
    expect(parseCli([])).toEqual({ help: false, version: false, http: false });
    expect(configError(() => parseCli(["--https"])).message).toMatch(/expected --help, --version or --http/);
  });

  it("lists the GTM_HTTP_* variables with their defaults, the tokens as a secret", () => {
    const help = renderHelp({ binary: "gtm-mcp-x", description: "x", vars: {} });
    expect(help).toContain("Usage: gtm-mcp-x [--help] [--version] [--http]");
    expect(help).toMatch(/GTM_HTTP_HOST\s+.*\n\s+default: 127\.0\.0\.1\n/);
    expect(help).toMatch(/GTM_HTTP_PORT\s+.*\n\s+default: 8080\n/);
    expect(help).toMatch(
      /GTM_HTTP_TOKENS \| GTM_HTTP_TOKENS_FILE\s+.*\n\s+default: \(none\); required with --http; secret/,
    );
    expect(help).toContain("GTM_HTTP_ALLOWED_HOSTS");
    expect(help).toContain("GTM_HTTP_ALLOWED_ORIGINS");
  });
});
