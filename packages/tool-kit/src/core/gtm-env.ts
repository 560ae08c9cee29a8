// A leaf module: the environment names every layer (config, tools, idempotency) speaks of.

/** Environments a server runs in (design.md §6). */
export type GtmEnv = "sandbox" | "staging" | "production";
