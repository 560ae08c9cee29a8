import { randomUUID } from "node:crypto";
import type { HubSpotAdminState } from "../admin/state-types.js";
import { FaultInjector } from "../faults/fault-injector.js";
import { hubspotErrorBody, hubspotRateLimitBody } from "../fixtures/hubspot.js";
import type { EmulatorOptions } from "../http/emulator-options.js";
import type { EmulatorDefinition } from "../http/emulator-server.js";
import type { EmulatorRequest, Route, RouteHandler } from "../http/types.js";
import { HubSpotLimits } from "./hubspot-limits.js";
import { HubSpotStore } from "./hubspot-store.js";
import { getRecord, readAssociations } from "./read-routes.js";
import { searchRecords } from "./search-route.js";
import { HUBSPOT_API_VERSIONS, ValidationRules, validationRulesSchema } from "./validation-rules.js";
import {
  associateDefault,
  createNote,
  type RuleCheck,
  updateCompany,
  upsertContacts,
} from "./write-routes.js";

/** The HubSpot emulator and the portal it serves. */
export interface HubSpotEmulator {
  definition: EmulatorDefinition;
  store: HubSpotStore;
}

/**
 * HubSpot CRM as the crm server calls it, on the date-based paths of 2026-03 and 2026-09 (the
 * published OpenAPI descriptions): account info, object get/search, associations batch read
 * and default association, contact batch upsert, note create, company update; Bearer auth (any
 * token; one starting `denied-` lacks every scope, for 403 tests); rate limits per policy with
 * HubSpot's 429 bodies; the account's validation rules (`PUT /_sandbox/validation-rules`),
 * enforced on writes from 2026-09 as HubSpot does.
 */
export function createHubSpotEmulator(options: EmulatorOptions): HubSpotEmulator {
  const now = options.now ?? Date.now;
  const iso = () => new Date(now()).toISOString();
  const store = new HubSpotStore(options.book, options.anchorMs);
  const faults = new FaultInjector(`${options.book.seed}/hubspot`, now);
  if (options.faults) faults.set(options.faults);
  const limits = new Map<string, HubSpotLimits>();
  const cid = () => randomUUID();

  const route = (
    method: string,
    pattern: string,
    operation: string,
    handler: RouteHandler,
    write = false,
  ): Route => ({
    method,
    pattern,
    operation,
    write,
    handler: (request) => {
      store.count(operation);
      return handler(request);
    },
  });
  const objectTypes = new Set(["companies", "contacts", "notes"]);
  const typed =
    (handler: RouteHandler): RouteHandler =>
    (request) =>
      objectTypes.has(request.params.type!) ? handler(request) : unknownType(request.params.type!);

  const rules = new ValidationRules();
  // Only the date-based paths, once per served version: a numbered (v3/v4) or unknown version
  // is an unknown route (404), as the crm server no longer calls them.
  const routes: Route[] = HUBSPOT_API_VERSIONS.flatMap((v): Route[] => {
    const check: RuleCheck = (type, properties) => rules.check(v, type, properties);
    const objects = `/crm/objects/${v}`;
    return [
      route("GET", `/account-info/${v}/details`, "account_info.details", () => ({
        status: 200,
        body: {
          portalId: options.book.portalId,
          accountType: "STANDARD",
          timeZone: "UTC",
          companyCurrency: "USD",
          additionalCurrencies: [],
          utcOffset: "+00:00",
          utcOffsetMilliseconds: 0,
          uiDomain: "app.hubspot.com",
          dataHostingLocation: "na1",
        },
      })),
      route(
        "POST",
        `${objects}/:type/search`,
        "objects.search",
        typed((r) => searchRecords(store, r.params.type as "companies", r, cid())),
      ),
      route(
        "GET",
        `${objects}/:type/:id`,
        "objects.get",
        typed((r) => getRecord(store, r, cid())),
      ),
      route(
        "PATCH",
        `${objects}/companies/:id`,
        "companies.update",
        (r) => updateCompany(store, r, cid(), iso, check),
        true,
      ),
      route(
        "POST",
        `${objects}/contacts/batch/upsert`,
        "contacts.upsert",
        (r) => upsertContacts(store, r, cid(), iso, check),
        true,
      ),
      route("POST", `${objects}/notes`, "notes.create", (r) => createNote(store, r, cid(), iso, check), true),
      route("POST", `/crm/associations/${v}/:fromType/:toType/batch/read`, "associations.batch_read", (r) =>
        objectTypes.has(r.params.fromType!)
          ? readAssociations(store, r, cid(), iso)
          : unknownType(r.params.fromType!),
      ),
      route(
        "PUT",
        `${objects}/:fromType/:id/associations/default/:toType/:toId`,
        "associations.create_default",
        (r) => associateDefault(store, r, cid(), iso),
        true,
      ),
    ];
  });

  const tokenOf = (request: EmulatorRequest) =>
    /^Bearer\s+(\S+)$/i.exec(String(request.headers.authorization ?? ""))?.[1];

  return {
    store,
    definition: {
      name: "hubspot",
      routes,
      faults,
      authenticate(request) {
        const token = tokenOf(request);
        if (!token) {
          return {
            status: 401,
            body: hubspotErrorBody(
              "INVALID_AUTHENTICATION",
              "Authentication credentials not found. This API supports OAuth 2.0 authentication and you can find more details at https://developers.hubspot.com/docs/methods/auth/oauth-overview",
              cid(),
            ),
          };
        }
        if (token.startsWith("denied-")) {
          return {
            status: 403,
            body: hubspotErrorBody(
              "MISSING_SCOPES",
              "This app hasn't been granted all required scopes to make this call.",
              cid(),
              {
                errors: [
                  {
                    message: "One or more of the following scopes are required.",
                    context: { requiredGranularScopes: ["crm.objects.companies.read"] },
                  },
                ],
              },
            ),
          };
        }
        return undefined;
      },
      admit(request, r) {
        const token = tokenOf(request) ?? "";
        const bucket = limits.get(token) ?? new HubSpotLimits(options.limitScale, now);
        limits.set(token, bucket);
        return bucket.admit(r.operation === "objects.search", cid());
      },
      failure(kind, r, status) {
        if (kind === "rate_limit") {
          const policy = r.operation === "objects.search" ? "SECONDLY" : "TEN_SECONDLY_ROLLING";
          return { status: 429, body: hubspotRateLimitBody(policy, cid()) };
        }
        if (kind === "outage") {
          return { status: 503, body: hubspotErrorBody("SERVICE_UNAVAILABLE", "Service Unavailable", cid()) };
        }
        return { status: status ?? 502, body: hubspotErrorBody("INTERNAL_ERROR", "internal error", cid()) };
      },
      unknownRoute: () => ({ status: 404, text: "" }),
      state: () => hubspotState(store, faults),
      admin(request, path) {
        if (path !== "/validation-rules") return undefined;
        if (request.method === "GET") return { status: 200, body: { rules: rules.current() } };
        if (request.method !== "PUT" && request.method !== "DELETE") return undefined;
        const parsed = validationRulesSchema.safeParse(
          request.method === "DELETE" ? { rules: [] } : request.body,
        );
        if (!parsed.success) {
          return { status: 400, body: { error: "invalid validation rules", issues: parsed.error.issues } };
        }
        rules.set(parsed.data.rules);
        return { status: 200, body: { rules: parsed.data.rules } };
      },
    },
  };
}

/** What the admin API shows of the portal: every write, and the calls per operation. */
export function hubspotState(store: HubSpotStore, faults: FaultInjector): HubSpotAdminState {
  return {
    notes: [...store.notes.values()].map((n) => ({
      id: n.id,
      companyIds: n.companyIds,
      contactIds: n.contactIds,
      body: n.properties.hs_note_body ?? "",
      timestamp: n.properties.hs_timestamp ?? "",
      createdAt: n.createdAt,
    })),
    upserts: store.upserts,
    companyUpdates: store.companyUpdates,
    associationWrites: store.associationWrites,
    calls: store.calls,
    faultsInjected: { ...faults.counts },
  };
}

function unknownType(type: string) {
  return {
    status: 400,
    body: hubspotErrorBody("VALIDATION_ERROR", `Unable to infer object type from: ${type}`, randomUUID()),
  };
}
