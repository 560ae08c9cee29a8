/**
 * How much faster than the vendors' published rates the emulators allow by default, so a
 * 4,000-account run finishes in minutes on a laptop while still meeting real 429s under
 * bursts. `--real-limits` (limitScale 1) uses the published rates.
 */
export const DEFAULT_LIMIT_SCALE = 20;

/** Published rates (vendors.md and the vendors' docs); each emulator scales them by `limitScale`. */
export const PUBLISHED_LIMITS = {
  hubspot: {
    /** Privately distributed apps on Professional/Enterprise: 190 requests per 10 s. */
    tenSecondly: 190,
    /** The search endpoints: about 4 requests per second per token (vendors.md); HubSpot answers 429 SECONDLY. */
    searchPerSecond: 4,
    /** Daily requests per portal. */
    daily: 1_000_000,
  },
  pdl: {
    /** Company enrich on paid plans: ~1,000 per minute. */
    perMinute: 1_000,
    perDay: 100_000,
    perMonth: 1_000_000,
  },
  snowflake: {
    /** Not published: a ceiling so a runaway client still meets a 429. */
    perSecond: 20,
  },
  gmail: {
    /** 15,000 quota units per user per minute. */
    unitsPerMinute: 15_000,
    /** Sends per user per day (Workspace). */
    sendsPerDay: 2_000,
  },
} as const;

/** Gmail quota units per method (vendors.md). */
export const GMAIL_UNITS: Record<string, number> = {
  "users.getProfile": 1,
  "drafts.create": 10,
  "drafts.get": 5,
  "drafts.send": 100,
  "messages.list": 5,
  "messages.get": 5,
  "threads.list": 10,
  "threads.get": 10,
};
