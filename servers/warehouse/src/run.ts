import { Secret, type SecretRegistry, StartupError } from "@gtm-mcp/tool-kit/config";
import type { Logger } from "@gtm-mcp/tool-kit/logging";
import { runMain } from "@gtm-mcp/tool-kit/server";
import {
  type CredentialProvider,
  reportCredentialExpiry,
  staticCredential,
} from "@gtm-mcp/tool-kit/upstream";
import { CatalogError, loadCatalog, SHIPPED_CATALOG } from "./catalog/load-catalog.js";
import { realBaseUrl, warehouseVars } from "./config.js";
import { verifyIdentity } from "./identity-check.js";
import { createServer, VERSION } from "./server.js";
import { checkPrivateKey, keyPairAuth, type SnowflakeAuth, tokenAuth } from "./upstream/auth.js";
import { createSnowflakeClient } from "./upstream/client.js";

/** Sent to the sandbox emulator when no credential is configured (not a secret: it opens nothing real). */
const SANDBOX_TOKEN = "sandbox-placeholder-token";

await runMain({
  name: "warehouse",
  binary: "gtm-mcp-warehouse",
  version: VERSION,
  description: "MCP server over the Snowflake SQL API: named, typed, read-only queries from a catalog",
  vars: warehouseVars,
  hasWriteTools: false,
  async start({ config, runtime, logger }) {
    const { vars, common } = config;
    // The catalog first: a bad entry stops the server before anything connects.
    let catalog: ReturnType<typeof loadCatalog>;
    try {
      catalog = loadCatalog(vars.WAREHOUSE_CATALOG ?? SHIPPED_CATALOG);
    } catch (error) {
      if (error instanceof CatalogError) throw new StartupError(error.message);
      throw error;
    }
    const auth = authFrom(vars, common.env === "sandbox", config.secrets);
    reportTokenExpiry(auth, logger);
    const baseUrl =
      vars.SNOWFLAKE_BASE_URL ??
      (vars.SNOWFLAKE_ACCOUNT
        ? realBaseUrl(vars.SNOWFLAKE_ACCOUNT)
        : fail("SNOWFLAKE_BASE_URL or SNOWFLAKE_ACCOUNT is required outside the sandbox"));
    const context = {
      role: vars.SNOWFLAKE_ROLE,
      warehouse: vars.SNOWFLAKE_WAREHOUSE,
      database: vars.SNOWFLAKE_DATABASE,
      schema: vars.SNOWFLAKE_SCHEMA,
    };
    const clientOptions = {
      baseUrl,
      auth,
      scrub: runtime.scrubber.text,
      userAgent: `gtm-mcp-warehouse/${VERSION}`,
    };
    if (common.env !== "sandbox") {
      // Its own client, logging only errors: a refusal to start is one line on stderr.
      const checker = createSnowflakeClient({
        ...clientOptions,
        logger: logger.child({}, { level: "error" }),
      });
      try {
        await verifyIdentity(
          checker,
          // Required outside the sandbox, so loadConfig has already refused to start without them.
          { account: vars.SNOWFLAKE_ACCOUNT!, user: vars.SNOWFLAKE_USER!, role: vars.SNOWFLAKE_ROLE! },
          context,
          logger,
        );
      } finally {
        await checker.close();
      }
    }
    const snowflake = createSnowflakeClient({ ...clientOptions, logger });
    logger.info({ queries: catalog.map((entry) => entry.name) }, "query catalog loaded");
    return {
      createServer: () =>
        createServer({
          snowflake,
          runtime,
          catalog,
          context,
          charBudget: vars.WAREHOUSE_RESULT_CHAR_BUDGET!,
        }),
      close: () => snowflake.close(),
    };
  },
});

/** A token's lapse is known at start: exported at once (no traffic needed), and said in the log when near. */
function reportTokenExpiry(auth: SnowflakeAuth, logger: Logger): void {
  if (auth.tokenType === "KEYPAIR_JWT" || auth.credential.renews !== false) return;
  const at = auth.credential.expiresAt?.();
  if (at === undefined) {
    if (auth.tokenType === "PROGRAMMATIC_ACCESS_TOKEN")
      logger.info(
        {},
        "the programmatic access token's expiry is unknown: set SNOWFLAKE_TOKEN_EXPIRES_AT to be alerted before it lapses",
      );
    return;
  }
  reportCredentialExpiry("snowflake", at, { renewed: false });
  const days = (at - Date.now()) / 86_400_000;
  if (days < 7)
    logger.warn(
      { expiresAt: new Date(at).toISOString() },
      days < 0
        ? "SNOWFLAKE_TOKEN has expired: replace it"
        : "SNOWFLAKE_TOKEN expires within 7 days: replace it",
    );
}

/**
 * Registers a JWT the server just signed with the secrets the scrubber removes, so a JWT that
 * Snowflake echoes (a text cell, an error, a log line) comes back `[REDACTED]`. Every JWT is
 * added under one name: `SecretRegistry.add` keeps the replaced values scrubbed, the last five
 * of them, so the set holds the live JWT and at most five earlier (expired or replaced) ones:
 * bounded for the life of the process (one JWT every 54 minutes, or after a 401).
 */
function registerMintedJwt(secrets: SecretRegistry, token: string): void {
  // A literal, not a module constant: this module awaits runMain before later constants exist.
  secrets.add(new Secret("SNOWFLAKE_PRIVATE_KEY (minted JWT)", token));
}

function fail(message: string): never {
  throw new StartupError(message);
}

/** Key-pair JWT when a private key is given, else the token; exactly one of them. */
function authFrom(
  vars: {
    SNOWFLAKE_ACCOUNT?: string | undefined;
    SNOWFLAKE_USER?: string | undefined;
    SNOWFLAKE_PRIVATE_KEY?: { get(): string; refresh(): Promise<boolean> } | undefined;
    SNOWFLAKE_PRIVATE_KEY_PASSPHRASE?: { get(): string } | undefined;
    SNOWFLAKE_TOKEN?: { asCredential(): CredentialProvider } | undefined;
    SNOWFLAKE_TOKEN_TYPE?: "OAUTH" | "PROGRAMMATIC_ACCESS_TOKEN" | undefined;
    SNOWFLAKE_TOKEN_EXPIRES_AT?: number | undefined;
  },
  sandbox: boolean,
  secrets: SecretRegistry,
): SnowflakeAuth {
  const key = vars.SNOWFLAKE_PRIVATE_KEY;
  const token = vars.SNOWFLAKE_TOKEN;
  if (key && token) fail("set SNOWFLAKE_PRIVATE_KEY (key-pair JWT) or SNOWFLAKE_TOKEN, not both");
  if (token)
    return tokenAuth(token.asCredential(), vars.SNOWFLAKE_TOKEN_TYPE ?? "OAUTH", {
      expiresAt: vars.SNOWFLAKE_TOKEN_EXPIRES_AT,
    });
  // The sandbox's emulator takes any token: a placeholder, like the emulator's default address.
  if (!key && sandbox) return tokenAuth(staticCredential(SANDBOX_TOKEN), "PROGRAMMATIC_ACCESS_TOKEN");
  if (!key)
    fail(
      "set SNOWFLAKE_PRIVATE_KEY (key-pair JWT, with SNOWFLAKE_ACCOUNT and SNOWFLAKE_USER) or SNOWFLAKE_TOKEN",
    );
  if (!vars.SNOWFLAKE_ACCOUNT || !vars.SNOWFLAKE_USER)
    fail("key-pair authentication needs SNOWFLAKE_ACCOUNT and SNOWFLAKE_USER");
  const passphrase = () => vars.SNOWFLAKE_PRIVATE_KEY_PASSPHRASE?.get();
  try {
    checkPrivateKey(key.get(), passphrase());
  } catch (error) {
    fail((error as Error).message);
  }
  return keyPairAuth({
    account: vars.SNOWFLAKE_ACCOUNT,
    user: vars.SNOWFLAKE_USER,
    privateKey: () => key.get(),
    passphrase,
    refreshKey: () => key.refresh(),
    onSign: (token) => registerMintedJwt(secrets, token),
  });
}
