import { defineVar, secretVar, vendorUrlVar, wholeNumberText } from "@gtm-mcp/tool-kit/config";
import { z } from "zod";
import { normalizeAddress } from "./model/address.js";

/** Gmail's public API, for the signed-in user. */
export const DEFAULT_BASE_URL = "https://gmail.googleapis.com/gmail/v1/users/me";
/** Google's OAuth token endpoint. */
export const DEFAULT_TOKEN_URL = "https://oauth2.googleapis.com/token";
/** The sandbox's Gmail emulator (the brief's table of emulator addresses). */
export const SANDBOX_BASE_URL = "http://127.0.0.1:4040/gmail/v1/users/me";
export const SANDBOX_TOKEN_URL = "http://127.0.0.1:4040/token";

/** What `send_draft` does: not listed, listed and asks a person each time, or listed and sends. */
export type SendMode = "off" | "confirm" | "on";

/** The email server's own variables (besides the common GTM_* ones). */
export const emailVars = {
  GMAIL_CLIENT_ID: defineVar<string>({
    description: "OAuth client id of the Google Cloud app the refresh token was issued to",
    schema: z.string().trim().min(1),
    requiredIn: ["sandbox", "staging", "production"],
  }),
  GMAIL_CLIENT_SECRET: secretVar({
    description: "OAuth client secret of that app",
    requiredIn: ["sandbox", "staging", "production"],
  }),
  GMAIL_REFRESH_TOKEN: secretVar({
    description:
      "OAuth refresh token of the sending mailbox, granted gmail.compose and gmail.readonly only (the sandbox accepts any value)",
    requiredIn: ["sandbox", "staging", "production"],
  }),
  GMAIL_SENDER: defineVar<string>({
    description:
      "The mailbox the token must belong to (checked against GET /profile at start); required in staging and production",
    schema: z
      .string()
      .trim()
      .transform((text, ctx) => {
        const address = normalizeAddress(text);
        if (address === undefined) {
          ctx.addIssue({ code: "custom", message: "expected one plain email address (name@example.com)" });
          return z.NEVER;
        }
        return address;
      }),
    requiredIn: ["staging", "production"],
  }),
  GMAIL_BASE_URL: vendorUrlVar({
    description: "Gmail API base URL for the user (…/gmail/v1/users/me)",
    sandboxDefault: SANDBOX_BASE_URL,
    realDefault: DEFAULT_BASE_URL,
  }),
  GMAIL_TOKEN_URL: vendorUrlVar({
    description: "OAuth token endpoint",
    sandboxDefault: SANDBOX_TOKEN_URL,
    realDefault: DEFAULT_TOKEN_URL,
  }),
  EMAIL_SEND_MODE: defineVar<SendMode>({
    description:
      "send_draft: off (not listed; a person sends from the mailbox), confirm (asks a person through MCP elicitation each time) or on (sends without asking)",
    schema: z.enum(["off", "confirm", "on"], { error: "expected off, confirm or on" }),
    default: "off",
  }),
  EMAIL_MAX_SENDS_PER_RUN: defineVar<number>({
    description:
      "Most sends one run may make, across processes sharing the store (at most GTM_MAX_WRITES_PER_RUN)",
    schema: wholeNumberText(100_000),
    default: "20",
  }),
  EMAIL_RECIPIENT_COOLDOWN_DAYS: defineVar<number>({
    description:
      "Days after a send during which the same recipient is not sent to again, across runs and processes",
    schema: wholeNumberText(365),
    default: "3",
  }),
  EMAIL_SUPPRESSION_FILE: defineVar<string>({
    description:
      "File of addresses (jane@acme.com, Jane Roe <jane@acme.com>) or domains (acme.com, bücher.de) never to write to, one a line (# comments); an entry that is neither stops the start (exit 2, naming the line); re-read when it changes",
    schema: z.string().trim().min(1),
  }),
};
