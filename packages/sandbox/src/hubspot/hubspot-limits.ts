import { type HubSpotPolicy, hubspotRateLimitBody } from "../fixtures/hubspot.js";
import type { EmulatorReply } from "../http/types.js";
import { PUBLISHED_LIMITS } from "../limits/rate-policy.js";
import { TokenBucket } from "../limits/token-bucket.js";

/**
 * HubSpot's limits per token: a ten-second rolling window for every call, a per-second one
 * for search, and a daily quota; each published rate times `scale`.
 */
export class HubSpotLimits {
  private readonly tenSecondly: TokenBucket;
  private readonly search: TokenBucket;
  private readonly dailyMax: number;
  private dailyUsed = 0;

  constructor(scale: number, now: () => number) {
    const p = PUBLISHED_LIMITS.hubspot;
    this.tenSecondly = new TokenBucket(Math.round(p.tenSecondly * scale), 10_000, now);
    this.search = new TokenBucket(Math.max(1, Math.round(p.searchPerSecond * scale)), 1_000, now);
    this.dailyMax = Math.round(p.daily * scale);
  }

  /** Admits one call, or the 429 of the policy it broke. */
  admit(
    isSearch: boolean,
    correlationId: string,
  ): { reject?: EmulatorReply; headers: Record<string, string> } {
    let policy: HubSpotPolicy | undefined;
    if (this.dailyUsed >= this.dailyMax) policy = "DAILY";
    else if (isSearch && !this.search.take()) policy = "SECONDLY";
    else if (!this.tenSecondly.take()) policy = "TEN_SECONDLY_ROLLING";
    else this.dailyUsed++;
    const headers = this.headers(isSearch);
    if (policy)
      return { reject: { status: 429, headers, body: hubspotRateLimitBody(policy, correlationId) }, headers };
    return { headers };
  }

  /** The `X-HubSpot-RateLimit-*` headers as they stand. */
  headers(isSearch: boolean): Record<string, string> {
    return {
      "x-hubspot-ratelimit-daily": String(this.dailyMax),
      "x-hubspot-ratelimit-daily-remaining": String(Math.max(0, this.dailyMax - this.dailyUsed)),
      "x-hubspot-ratelimit-interval-milliseconds": "10000",
      "x-hubspot-ratelimit-max": String(this.tenSecondly.capacity),
      "x-hubspot-ratelimit-remaining": String(this.tenSecondly.remaining()),
      ...(isSearch
        ? {
            "x-hubspot-ratelimit-secondly": String(this.search.capacity),
            "x-hubspot-ratelimit-secondly-remaining": String(this.search.remaining()),
          }
        : {}),
    };
  }
}
