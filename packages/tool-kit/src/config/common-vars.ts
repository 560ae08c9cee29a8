import { hostname } from "node:os";
import { z } from "zod";
import type { GtmEnv } from "../tools/runtime.js";
import { defineVar } from "./var-spec.js";

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

/** The variables every server reads (design.md §6). */
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
      "Idempotency store: redis://…, rediss://… or sqlite:<path> (production with writes: Redis only)",
    defaultText: "sqlite file under $XDG_STATE_HOME/gtm-mcp (or ~/.local/state/gtm-mcp)",
  }),
  GTM_IDEMPOTENCY_TTL_HOURS: defineVar<number>({
    description: "How long a completed write is remembered (and replayed)",
    schema: positiveInt(24 * 365).pipe(z.number().min(1, { error: "expected at least 1" })),
    default: "168",
  }),
  GTM_LOG_LEVEL: defineVar<"fatal" | "error" | "warn" | "info" | "debug" | "trace" | "silent">({
    description: "Log level of the JSON lines on stderr",
    schema: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"], {
      error: "expected fatal, error, warn, info, debug, trace or silent",
    }),
    default: "info",
  }),
};

export { bool as booleanText, positiveInt as wholeNumberText };
