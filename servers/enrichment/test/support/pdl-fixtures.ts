/** PDL answers as vendors.md describes them: status codes, headers and bodies. */

/** A full match: company fields at the top level, `status` and `likelihood`. */
export function acmeCompany(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    status: 200,
    likelihood: 8,
    id: "tnHcNHbCv8MKeLh92946LAkX6PKg",
    name: "acme",
    display_name: "Acme",
    size: "51-200",
    employee_count: 137,
    founded: 2012,
    industry: "computer software",
    location: {
      name: "san francisco, california, united states",
      locality: "san francisco",
      region: "california",
      country: "united states",
      continent: "north america",
      street_address: null,
      postal_code: null,
    },
    linkedin_url: "linkedin.com/company/acme",
    twitter_url: null,
    facebook_url: null,
    website: "acme.com",
    ticker: null,
    type: "private",
    summary: "acme builds tools for sales teams",
    tags: ["b2b", "saas"],
    ...overrides,
  };
}

/** The 404 PDL sends when nothing matches (not charged). */
export const NOT_FOUND_BODY = {
  status: 404,
  error: { type: "not_found", message: "No records were found matching your request" },
};

/** 402: the account's credits are used up. */
export const PAYMENT_REQUIRED_BODY = {
  status: 402,
  error: { type: "payment_required", message: "You have hit your account maximum for all matches" },
};

/** 429 body. */
export const RATE_LIMIT_BODY = {
  status: 429,
  error: { type: "rate_limit_error", message: "An error occurred due to requests hitting the API too quick" },
};

/** 5xx body. */
export const API_ERROR_BODY = { status: 500, error: { type: "api_error", message: "Internal error" } };

/** Rate headers as PDL writes them, single-quoted (vendors.md: parse leniently). */
export function rateHeaders(remainingMinute: number, resetAt?: string): Record<string, string> {
  return {
    "x-ratelimit-limit": "{'minute': 1000, 'day': 50000, 'month': 1000000}",
    "x-ratelimit-remaining": `{'minute': ${remainingMinute}, 'day': 49000, 'month': 990000}`,
    ...(resetAt !== undefined ? { "x-ratelimit-reset": resetAt } : {}),
  };
}
