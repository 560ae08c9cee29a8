import { z } from "zod";

/**
 * Faults of one emulator, set at start (`faults` option, `--faults`) or at run time
 * (`PUT /_sandbox/faults`). Every rate is a probability per request (0–1); a missing field
 * is no fault of that kind. `operations` narrows every fault to those vendor operations
 * (e.g. `["notes.create"]`); absent, all vendor operations are affected.
 */
export const faultConfigSchema = z
  .object({
    /**
     * Added latency per vendor request: log-normal by its median and 95th percentile (ms; a
     * p95 equal to the median gives exactly the median), or `fixedMs`, the same every time
     * (a benchmark's latency-bound ideal needs a latency it can multiply).
     */
    latency: z
      .union([
        z.object({ medianMs: z.number().min(0), p95Ms: z.number().min(0) }).strict(),
        z.object({ fixedMs: z.number().min(0).max(600_000) }).strict(),
      ])
      .optional(),
    /** Share of requests answered with the vendor's own 429 (or, for Gmail, 403 rateLimitExceeded). */
    rateLimitRate: z.number().min(0).max(1).optional(),
    /** Share of requests that open a burst of `length` consecutive 5xx answers. */
    errorBursts: z
      .object({
        rate: z.number().min(0).max(1),
        length: z.number().int().min(1).max(1_000),
        status: z.number().int().min(500).max(599).optional(),
      })
      .optional(),
    /** Every vendor request fails as unavailable (503); `outageForMs` ends it by itself. */
    outage: z.boolean().optional(),
    outageForMs: z.number().int().min(1).optional(),
    /** Share of writes that are committed and then answered by dropping the connection. */
    commitThenDrop: z
      .object({ rate: z.number().min(0).max(1), operations: z.array(z.string()).optional() })
      .optional(),
    operations: z.array(z.string()).optional(),
  })
  .strict();

/** Faults of one emulator. */
export type FaultConfig = z.infer<typeof faultConfigSchema>;

/** The kinds of fault counted in admin state and the book-run report. */
export type FaultKind = "latency" | "rate_limit" | "server_error" | "outage" | "commit_then_drop";

/** Faults injected so far, by kind. */
export type FaultCounts = Record<FaultKind, number>;

/** Zero of every kind. */
export function noFaults(): FaultCounts {
  return { latency: 0, rate_limit: 0, server_error: 0, outage: 0, commit_then_drop: 0 };
}
