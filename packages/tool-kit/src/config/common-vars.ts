import { isIP } from "node:net";
import { hostname } from "node:os";
import { z } from "zod";
import type { GtmEnv } from "../core/gtm-env.js";
import { defineVar, secretVar } from "./var-spec.js";

const bool = z
  .string()
  .trim()
  .toLowerCase()
  .pipe(z.enum(["true", "false", "1", "0", "yes", "no"], { error: "expected true or false" }))
  .transform((v) => v === "true" || v === "1" || v === "yes");

const positiveInt = (max: number) =>
  z
    .string()
    .trim()
    .regex(/^\d+$/, { error: "expected a whole number" })
    .transform(Number)
    .pipe(
      z
        .number()
        .int()
        .min(0)
        .max(max, { error: `expected at most ${max}` }),
    );

/** A comma-separated list, trimmed, blanks dropped. */
const commaList = z.string().transform((text) =>
  text
    .split(",")
    .map((item) => item.trim())
    .filter((item) => item !== ""),
);

/** A `Host` header value: a name or IPv4 address, or a bracketed IPv6 one, with an optional port. */
const HOST_VALUE = /^(\[[0-9a-f:.]+\]|[a-z0-9.-]+)(:\d{1,5})?$/;

const hostList = commaList.pipe(
  z
    .array(
      z
        .string()
        .toLowerCase()
        .regex(HOST_VALUE, { error: "expected Host header values (name or name:port), comma-separated" }),
    )
    .min(1, { error: "expected at least one Host header value" }),
);

const originList = commaList.pipe(
  z.array(
    z
      .string()
      .refine((item) => toOrigin(item) !== undefined, {
        error:
          "expected origins such as https://app.example.com (scheme, host, optional port), comma-separated",
      })
      .transform((item) => toOrigin(item) as string),
  ),
);

/** `https://App.example.com/` → `https://app.example.com`; undefined for anything but an http(s) origin. */
function toOrigin(text: string): string | undefined {
  try {
    const url = new URL(text);
    const bare = url.pathname === "/" && url.search === "" && url.hash === "" && url.username === "";
    if (!bare || (url.protocol !== "http:" && url.protocol !== "https:")) return undefined;
    return url.origin;
  } catch {
    return undefined;
  }
}

/** The variables every server reads (design.md §6); the `GTM_HTTP_*` ones only with `--http` (§7). */
export const COMMON_VARS = {
  GTM_ENV: defineVar<GtmEnv>({
    description: "Environment: sandbox (vendor emulators on localhost), staging or production",
    schema: z.enum(["sandbox", "staging", "production"], {
      error: "expected sandbox, staging or production",
    }),
    default: "sandbox",
  }),
  GTM_ENABLE_WRITES: defineVar<boolean>({
    description: "Whether write tools exist (listed and callable)",
    schema: bool,
    default: (env) => (env === "sandbox" ? "true" : "false"),
    defaultText: "true in sandbox, false otherwise",
  }),
  GTM_RUN_ID: defineVar<string>({
    description: "Names the run that write caps count against; share it across sub-agents of one run",
    schema: z
      .string()
      .regex(/^[A-Za-z0-9._:-]{1,128}$/, { error: "expected 1-128 characters of A-Z a-z 0-9 . _ : -" }),
    default: () => `${hostname()}-${process.pid}-${Date.now().toString(36)}`,
    defaultText: "one per process",
  }),
  GTM_MAX_WRITES_PER_RUN: defineVar<number>({
    description: "Most writes one run may make, across processes sharing the store",
    schema: positiveInt(1_000_000),
    default: "100",
  }),
  GTM_STATE_URL: defineVar<string>({
    description:
      "Idempotency store: redis://…, rediss://…, redis+sentinel://…, redis+cluster://… or sqlite:<path> (production with writes: Redis only)",
    defaultText: "sqlite file under $XDG_STATE_HOME/gtm-mcp (or ~/.local/state/gtm-mcp)",
  }),
  GTM_IDEMPOTENCY_TTL_HOURS: defineVar<number>({
    description: "How long a completed write is remembered (and replayed)",
    schema: positiveInt(24 * 365).pipe(z.number().min(1, { error: "expected at least 1" })),
    default: "168",
  }),
  GTM_STATE_SECRET: secretVar({
    description:
      "Key (at least 32 characters) of the HMAC that protects state a client carries back (cursors, a send's confirmation); give every replica the same one",
    defaultText: "a random key per process (state does not survive a restart or move between replicas)",
  }),
  GTM_LOG_LEVEL: defineVar<"fatal" | "error" | "warn" | "info" | "debug" | "trace" | "silent">({
    description: "Log level of the JSON lines on stderr",
    schema: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"], {
      error: "expected fatal, error, warn, info, debug, trace or silent",
    }),
    default: "info",
  }),
  GTM_HTTP_HOST: defineVar<string>({
    description:
      "With --http: the address to listen on (any other than loopback needs GTM_HTTP_ALLOWED_HOSTS)",
    schema: z
      .string()
      .trim()
      .refine((host) => isIP(host) !== 0 || /^[A-Za-z0-9.-]+$/.test(host), {
        error: "expected an IP address or a host name",
      }),
    default: "127.0.0.1",
  }),
  GTM_HTTP_PORT: defineVar<number>({
    description: "With --http: the port to listen on; 0 picks a free one (the bound port is logged)",
    schema: positiveInt(65_535),
    default: "8080",
  }),
  GTM_HTTP_TOKENS: secretVar({
    description:
      "With --http: the bearer tokens clients must send, comma-separated (one per line in the file), each at least 16 characters",
    defaultText: "(none); required with --http",
  }),
  GTM_HTTP_ALLOWED_HOSTS: defineVar<string[]>({
    description:
      "With --http: Host header values accepted, comma-separated; one without a port matches any port",
    schema: hostList,
    defaultText: "localhost, 127.0.0.1 and [::1] at the bound port on loopback; required otherwise",
  }),
  GTM_HTTP_ALLOWED_ORIGINS: defineVar<string[]>({
    description:
      "With --http: browser origins accepted (https://app.example.com), comma-separated; a request carrying any other Origin is refused",
    schema: originList,
    defaultText: "(none)",
  }),
};

export { bool as booleanText, positiveInt as wholeNumberText };
