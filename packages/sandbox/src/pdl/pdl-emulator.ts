import type { BookEnrichment } from "../book/types.js";
import { FaultInjector } from "../faults/fault-injector.js";
import { pdlCompanyBody, pdlErrorBody, pdlNotFoundBody, pdlRateObject } from "../fixtures/pdl.js";
import type { EmulatorOptions } from "../http/emulator-options.js";
import type { EmulatorDefinition } from "../http/emulator-server.js";
import type { EmulatorReply, EmulatorRequest, Route } from "../http/types.js";
import { PUBLISHED_LIMITS } from "../limits/rate-policy.js";
import { TokenBucket } from "../limits/token-bucket.js";

/** Options of the PDL emulator beyond the common ones. */
export interface PdlOptions extends EmulatorOptions {
  /** Credits the key starts with; a match when none are left is a 402 (default 100,000). */
  credits?: number;
}

/** What the PDL emulator tracks: credits spent per domain and per account, and answers by status. */
export interface PdlState {
  creditsLeft: number;
  creditsSpent: number;
  /** Credits spent per matched domain: more than 1 means the same company was bought twice. */
  creditsByDomain: Record<string, number>;
  /** The same, per book account (both companies of a shared domain see its credits). */
  creditsByAccount: Record<string, number>;
  answers: Record<string, number>;
}

/** The PDL emulator and its credit ledger. */
export interface PdlEmulator {
  definition: EmulatorDefinition;
  state(): PdlState;
}

/**
 * People Data Labs v5 company enrich (vendors.md): lookup by website, name, profile, ticker
 * or pdl_id; `min_likelihood` and `required`; partial records with nulls; 404 not charged;
 * 402 when credits run out; `x-ratelimit-*` and credit headers on every answer.
 */
export function createPdlEmulator(options: PdlOptions): PdlEmulator {
  const now = options.now ?? Date.now;
  const faults = new FaultInjector(`${options.book.seed}/pdl`, now);
  if (options.faults) faults.set(options.faults);
  const p = PUBLISHED_LIMITS.pdl;
  const perMinute = Math.round(p.perMinute * options.limitScale);
  const minute = new TokenBucket(perMinute, 60_000, now);
  const day = { max: Math.round(p.perDay * options.limitScale), used: 0 };
  const month = { max: Math.round(p.perMonth * options.limitScale), used: 0 };
  let creditsLeft = options.credits ?? 100_000;
  const creditsByDomain = new Map<string, number>();
  const answers: Record<string, number> = {};
  const accountsOf = new Map<string, string[]>();
  for (const a of options.book.accounts)
    accountsOf.set(a.domain, [...(accountsOf.get(a.domain) ?? []), a.accountId]);
  const byDomain = new Map(options.book.enrichment.map((e) => [e.domain, e]));
  const byId = new Map(options.book.enrichment.map((e) => [String(e.record.id), e]));

  // Without limits (limitScale Infinity) there is no window to describe: the rate headers are left out.
  const limited = Number.isFinite(perMinute);
  const rateHeaders = (spent: number): Record<string, string> => ({
    ...(limited
      ? {
          "x-ratelimit-limit": pdlRateObject({ minute: perMinute, day: day.max, month: month.max }),
          "x-ratelimit-remaining": pdlRateObject({
            minute: minute.remaining(),
            day: Math.max(0, day.max - day.used),
            month: Math.max(0, month.max - month.used),
          }),
          "x-ratelimit-reset": new Date(now() + minute.msUntil(1)).toISOString(),
        }
      : {}),
    "x-call-credits-spent": String(spent),
    "x-call-credits-type": "company",
    "x-totallimit-remaining": String(creditsLeft),
  });
  const answer = (reply: EmulatorReply, spent = 0): EmulatorReply => {
    answers[String(reply.status)] = (answers[String(reply.status)] ?? 0) + 1;
    return { ...reply, headers: { ...rateHeaders(spent), ...reply.headers } };
  };

  const enrich = (request: EmulatorRequest): EmulatorReply => {
    const q = request.query;
    const minLikelihood = q.get("min_likelihood") === null ? 0 : Number(q.get("min_likelihood"));
    if (!Number.isFinite(minLikelihood) || minLikelihood < 0 || minLikelihood > 10) {
      return answer({
        status: 400,
        body: pdlErrorBody(400, "min_likelihood must be an integer between 0 and 10"),
      });
    }
    const keys = ["website", "name", "profile", "ticker", "pdl_id"].filter(
      (k) => (q.get(k) ?? "").trim() !== "",
    );
    if (keys.length === 0) {
      return answer({
        status: 400,
        body: pdlErrorBody(
          400,
          "Request object must contain at least one of: name, profile, ticker, website, pdl_id",
        ),
      });
    }
    const found = lookup(q, byDomain, byId, options.book.enrichment);
    const required = (q.get("required") ?? "").split(/\s+(?:AND|OR)\s+|[,\s]+/i).filter(Boolean);
    if (!found || found.likelihood < minLikelihood || required.some((f) => isEmpty(found.record[f]))) {
      return answer({ status: 404, body: pdlNotFoundBody() });
    }
    if (creditsLeft <= 0) {
      return answer({
        status: 402,
        body: pdlErrorBody(402, "You have hit your account maximum for company enrichment"),
      });
    }
    creditsLeft--;
    creditsByDomain.set(found.domain, (creditsByDomain.get(found.domain) ?? 0) + 1);
    const record =
      q.get("titlecase") === "true" ? { ...found.record, name: found.record.display_name } : found.record;
    return answer({ status: 200, body: pdlCompanyBody(record, found.likelihood) }, 1);
  };

  const routes: Route[] = [
    // A match spends a credit, so a lookup is a write here: commit-then-drop charges the
    // credit and then destroys the socket unanswered (a 404 is not charged and still answers).
    {
      method: "GET",
      pattern: "/v5/company/enrich",
      operation: "company.enrich",
      write: true,
      handler: enrich,
    },
  ];

  const state = (): PdlState => {
    const creditsByAccount: Record<string, number> = {};
    for (const [domain, n] of creditsByDomain)
      for (const id of accountsOf.get(domain) ?? []) creditsByAccount[id] = n;
    const spent = [...creditsByDomain.values()].reduce((a, b) => a + b, 0);
    return {
      creditsLeft,
      creditsSpent: spent,
      creditsByDomain: Object.fromEntries(creditsByDomain),
      creditsByAccount,
      answers: { ...answers },
    };
  };

  return {
    state,
    definition: {
      name: "pdl",
      routes,
      faults,
      authenticate(request) {
        const key = String(request.headers["x-api-key"] ?? request.query.get("api_key") ?? "");
        if (key.trim() !== "") return undefined;
        return answer({ status: 401, body: pdlErrorBody(401, "API key is missing or invalid") });
      },
      admit() {
        if (!minute.take() || day.used >= day.max || month.used >= month.max) {
          return {
            reject: answer({
              status: 429,
              body: pdlErrorBody(429, "An error occurred due to requests hitting the API too quick"),
            }),
          };
        }
        day.used++;
        month.used++;
        return {};
      },
      failure(kind, _route, status) {
        if (kind === "rate_limit") {
          return answer({
            status: 429,
            body: pdlErrorBody(429, "An error occurred due to requests hitting the API too quick"),
          });
        }
        const code = kind === "outage" ? 503 : (status ?? 500);
        return answer({
          status: code,
          body: pdlErrorBody(code, "An unexpected error occurred; please try again later"),
        });
      },
      unknownRoute: () => ({ status: 404, body: pdlErrorBody(404, "Not found") }),
      state: () => ({ ...state(), faultsInjected: { ...faults.counts } }),
    },
  };
}

function lookup(
  q: URLSearchParams,
  byDomain: Map<string, BookEnrichment>,
  byId: Map<string, BookEnrichment>,
  all: BookEnrichment[],
): BookEnrichment | undefined {
  const website = q.get("website");
  if (website) return byDomain.get(normalizeDomain(website));
  const id = q.get("pdl_id");
  if (id) return byId.get(id);
  const profile = q
    .get("profile")
    ?.toLowerCase()
    .replace(/^https?:\/\/(www\.)?/, "")
    .replace(/\/+$/, "");
  if (profile) return all.find((e) => e.record.linkedin_url === profile);
  const ticker = q.get("ticker")?.toUpperCase();
  if (ticker) return all.find((e) => e.record.ticker === ticker);
  const name = q.get("name")?.trim().toLowerCase();
  return all.find((e) => String(e.record.name) === name);
}

/** `https://www.Acme.com/about` → `acme.com`. */
export function normalizeDomain(website: string): string {
  return website
    .trim()
    .toLowerCase()
    .replace(/^[a-z]+:\/\//, "")
    .replace(/^www\./, "")
    .replace(/[/?#].*$/, "");
}

function isEmpty(value: unknown): boolean {
  return value === null || value === undefined || (Array.isArray(value) && value.length === 0);
}
