import { Secret, StartupError } from "@gtm-mcp/tool-kit/config";
import { runMain } from "@gtm-mcp/tool-kit/server";
import { oauthRefreshCredential } from "@gtm-mcp/tool-kit/upstream";
import { DEFAULT_BASE_URL, DEFAULT_TOKEN_URL, emailVars } from "./config.js";
import { checkScopes, verifySender } from "./identity-check.js";
import { fileSuppressionList, NO_SUPPRESSION } from "./model/suppression-list.js";
import { createGmailClient, createServer, VERSION } from "./server.js";

await runMain({
  name: "email",
  binary: "gtm-mcp-email",
  version: VERSION,
  description: "MCP server over Gmail: recent threads, outreach drafts for review, gated and capped sends",
  vars: emailVars,
  hasWriteTools: true,
  caps: (config) => ({ sends: config.vars.EMAIL_MAX_SENDS_PER_RUN ?? 20 }),
  async start({ config, runtime, logger }) {
    const { vars, common } = config;
    const sends = vars.EMAIL_MAX_SENDS_PER_RUN ?? 20;
    if (sends > common.maxWritesPerRun) {
      throw new StartupError(
        `EMAIL_MAX_SENDS_PER_RUN (${sends}) must be at most GTM_MAX_WRITES_PER_RUN (${common.maxWritesPerRun})`,
      );
    }
    let suppression = NO_SUPPRESSION;
    if (vars.EMAIL_SUPPRESSION_FILE !== undefined) {
      try {
        suppression = fileSuppressionList(vars.EMAIL_SUPPRESSION_FILE, logger);
      } catch (error) {
        throw new StartupError((error as Error).message);
      }
    }
    // Required in every environment, so loadConfig has already refused to start without them.
    const clientSecret = vars.GMAIL_CLIENT_SECRET!;
    const refreshToken = vars.GMAIL_REFRESH_TOKEN!;
    const credential = oauthRefreshCredential({
      system: "google",
      tokenUrl: vars.GMAIL_TOKEN_URL ?? DEFAULT_TOKEN_URL,
      clientId: () => vars.GMAIL_CLIENT_ID!,
      clientSecret: () => clientSecret.get(),
      refreshToken: () => refreshToken.get(),
      // Known to the scrubber before any request carries it.
      onToken: (token) => config.secrets.add(new Secret("GMAIL_ACCESS_TOKEN", token.value)),
      logger,
    });
    try {
      checkScopes(await credential.token(), common.env, logger);
    } catch (error) {
      if (error instanceof StartupError) throw error;
      throw new StartupError(`could not obtain a Gmail access token: ${(error as Error).message}`);
    }
    const clientOptions = {
      baseUrl: vars.GMAIL_BASE_URL ?? DEFAULT_BASE_URL,
      credential,
      scrub: runtime.scrubber.text,
    };
    // Its own client, logging only errors: a refusal to start is one line, not that line
    // behind the JSON lines of each failed attempt.
    const checker = createGmailClient({ ...clientOptions, logger: logger.child({}, { level: "error" }) });
    let sender: string;
    try {
      sender = await verifySender(checker, vars.GMAIL_SENDER, logger);
    } finally {
      await checker.close();
    }
    const gmail = createGmailClient({ ...clientOptions, logger });
    return {
      createServer: () =>
        createServer({
          gmail,
          runtime,
          sender,
          suppression,
          sendMode: vars.EMAIL_SEND_MODE ?? "off",
          cooldownDays: vars.EMAIL_RECIPIENT_COOLDOWN_DAYS ?? 3,
        }),
      close: () => gmail.close(),
    };
  },
});
