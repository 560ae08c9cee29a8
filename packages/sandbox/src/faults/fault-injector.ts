import { createPrng, type Prng } from "../random/prng.js";
import { type FaultConfig, type FaultCounts, noFaults } from "./fault-config.js";

/** What happens to one request. */
export interface FaultDecision {
  delayMs: number;
  /** Answered instead of the vendor: a 429, a 5xx, or the outage. */
  fail?: "rate_limit" | "server_error" | "outage";
  /** The 5xx status when `fail` is `server_error`. */
  status?: number;
  /** Run the write, then drop the connection instead of answering. */
  dropAfterCommit: boolean;
}

/**
 * Decides the faults of each request from the emulator's fault config and a seeded source,
 * so a run with the same seed and request order meets the same faults. Counts each fault by
 * kind for the admin API.
 */
export class FaultInjector {
  private config: FaultConfig = {};
  private rng: Prng;
  private burstLeft = 0;
  private burstStatus = 503;
  private outageEndsAt: number | undefined;
  readonly counts: FaultCounts = noFaults();

  constructor(
    seed: string,
    private readonly now: () => number = Date.now,
  ) {
    this.rng = createPrng(`faults/${seed}`);
  }

  /** Replaces the config (run time or start). */
  set(config: FaultConfig): void {
    this.config = config;
    this.burstLeft = 0;
    this.outageEndsAt =
      config.outage && config.outageForMs !== undefined ? this.now() + config.outageForMs : undefined;
  }

  /** The config in force (an outage that has run its course reads as over). */
  current(): FaultConfig {
    this.expireOutage();
    return this.config;
  }

  /** The faults of one request to `operation`. */
  decide(operation: string, write: boolean): FaultDecision {
    this.expireOutage();
    const c = this.config;
    const decision: FaultDecision = { delayMs: 0, dropAfterCommit: false };
    if (c.operations && !c.operations.includes(operation)) return decision;
    const delayMs = this.latencyOf(c.latency);
    if (delayMs !== undefined) {
      decision.delayMs = delayMs;
      this.counts.latency++;
    }
    if (c.outage) {
      this.counts.outage++;
      return { ...decision, fail: "outage" };
    }
    if (this.burstLeft > 0 || (c.errorBursts && this.rng.chance(c.errorBursts.rate))) {
      if (this.burstLeft === 0 && c.errorBursts) {
        this.burstLeft = c.errorBursts.length;
        this.burstStatus = c.errorBursts.status ?? 503;
      }
      this.burstLeft--;
      this.counts.server_error++;
      return { ...decision, fail: "server_error", status: this.burstStatus };
    }
    if (c.rateLimitRate && this.rng.chance(c.rateLimitRate)) {
      this.counts.rate_limit++;
      return { ...decision, fail: "rate_limit" };
    }
    const drop = c.commitThenDrop;
    if (
      write &&
      drop &&
      (!drop.operations || drop.operations.includes(operation)) &&
      this.rng.chance(drop.rate)
    ) {
      this.counts.commit_then_drop++;
      decision.dropAfterCommit = true;
    }
    return decision;
  }

  private expireOutage(): void {
    if (this.outageEndsAt !== undefined && this.now() >= this.outageEndsAt) {
      const { outage: _o, outageForMs: _f, ...rest } = this.config;
      this.config = rest;
      this.outageEndsAt = undefined;
    }
  }

  /** The added latency of one request (undefined: none configured). A fixed one draws nothing from the seeded source. */
  private latencyOf(latency: FaultConfig["latency"]): number | undefined {
    if (latency === undefined) return undefined;
    if ("fixedMs" in latency) return latency.fixedMs > 0 ? latency.fixedMs : undefined;
    if (latency.medianMs <= 0) return undefined;
    return this.logNormal(latency.medianMs, Math.max(latency.p95Ms, latency.medianMs));
  }

  /**
   * A log-normal draw with the given median and 95th percentile (Box–Muller). With p95 equal
   * to the median, sigma is 0 and every draw is the median (rounded to whole ms).
   */
  private logNormal(median: number, p95: number): number {
    const sigma = Math.log(p95 / median) / 1.6449;
    const u = Math.max(this.rng.next(), 1e-12);
    const z = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * this.rng.next());
    return Math.round(median * Math.exp(sigma * z));
  }
}
