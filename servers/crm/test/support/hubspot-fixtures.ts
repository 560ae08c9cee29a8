// HubSpot answers as vendors.md describes them, for the stubbed vendor.

/** A CRM object: `{id, properties, createdAt, updatedAt, archived}`. */
export function hubspotObject(id: string, properties: Record<string, string | null>) {
  return {
    id,
    properties,
    createdAt: "2025-01-02T03:04:05.000Z",
    updatedAt: "2026-11-01T00:00:00.000Z",
    archived: false,
  };
}

/** A company with the account property set filled in. */
export function company(id: string, overrides: Record<string, string | null> = {}) {
  return hubspotObject(id, {
    name: `Company ${id}`,
    domain: `c${id}.example`,
    industry: "COMPUTER_SOFTWARE",
    lifecyclestage: "customer",
    hubspot_owner_id: "77",
    city: "Berlin",
    country: "Germany",
    numberofemployees: "250",
    annualrevenue: "1250000.5",
    hs_lastmodifieddate: "2026-11-01T00:00:00.000Z",
    createdate: "2025-01-02T03:04:05.000Z",
    hs_object_id: id,
    ...overrides,
  });
}

/** A note with its body and activity time. */
export function note(id: string, body: string, timestamp: string) {
  return hubspotObject(id, { hs_note_body: body, hs_timestamp: timestamp, hs_object_id: id });
}

/** A search answer: `{total, results, paging?}`. */
export function searchPage(results: unknown[], options: { total?: number; after?: string } = {}) {
  return {
    total: options.total ?? results.length,
    results,
    ...(options.after !== undefined ? { paging: { next: { after: options.after, link: "?after=x" } } } : {}),
  };
}

/**
 * An associations batch read answer for one company's notes (`from` is company 42 unless
 * given), as the date-based descriptions give it: `toObjectId` a string, no `label` when unset.
 */
export function associationsPage(toIds: string[], after?: string, from = "42") {
  return {
    status: "COMPLETE",
    results: [
      {
        from: { id: from },
        to: toIds.map((id) => ({
          toObjectId: id,
          associationTypes: [{ category: "HUBSPOT_DEFINED", typeId: 189 }],
        })),
        ...(after !== undefined ? { paging: { next: { after, link: "?after=x" } } } : {}),
      },
    ],
    startedAt: "2026-11-21T12:00:00.000Z",
    completedAt: "2026-11-21T12:00:00.010Z",
  };
}

/** A HubSpot error body. */
export function errorBody(category: string, message: string, extra: Record<string, unknown> = {}) {
  return {
    status: "error",
    message,
    correlationId: "c0ffee00-1111-2222-3333-444455556666",
    category,
    ...extra,
  };
}

/** A 429 answer of one policy. */
export function rateLimited(policyName: "SECONDLY" | "TEN_SECONDLY_ROLLING" | "DAILY") {
  return {
    status: 429,
    headers: { "x-hubspot-ratelimit-secondly": "10", "x-hubspot-ratelimit-secondly-remaining": "0" },
    body: {
      status: "error",
      message: `You have reached your ${policyName.toLowerCase()} limit.`,
      errorType: "RATE_LIMIT",
      correlationId: "aaaa0000-rate-limit",
      policyName,
    },
  };
}
