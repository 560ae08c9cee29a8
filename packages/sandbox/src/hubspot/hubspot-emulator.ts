import { randomUUID } from "node:crypto";
import type { HubSpotAdminState } from "../admin/state-types.js";
import { FaultInjector } from "../faults/fault-injector.js";
import { hubspotErrorBody, hubspotRateLimitBody } from "../fixtures/hubspot.js";
import type { EmulatorOptions } from "../http/emulator-options.js";
import type { EmulatorDefinition } from "../http/emulator-server.js";
import type { EmulatorRequest, Route, RouteHandler } from "../http/types.js";
import { HubSpotLimits } from "./hubspot-limits.js";
import { HubSpotStore } from "./hubspot-store.js";
import { getRecord, listAssociations } from "./read-routes.js";
import { searchRecords } from "./search-route.js";
import { associateDefault, createNote, updateCompany, upsertContacts } from "./write-routes.js";

/** The HubSpot emulator and the portal it serves. */
export interface HubSpotEmulator {
  definition: EmulatorDefinition;
  store: HubSpotStore;
}

/**
 * HubSpot CRM as the crm server calls it (vendors.md): account info, object get/search,
 * v4 associations read and write, contact batch upsert, note create, company update; Bearer
 * auth (any token; one starting `denied-` lacks every scope, for 403 tests); rate limits per
 * policy with HubSpot's 429 bodies.
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

  const routes: Route[] = [
    route("GET", "/account-info/v3/details", "account_info.details", () => ({
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
      "/crm/v3/objects/:type/search",
      "objects.search",
      typed((r) => searchRecords(store, r.params.type as "companies", r, cid())),
    ),
    route(
      "GET",
      "/crm/v3/objects/:type/:id",
      "objects.get",
      typed((r) => getRecord(store, r, cid())),
    ),
    route(
      "PATCH",
      "/crm/v3/objects/companies/:id",
      "companies.update",
      (r) => updateCompany(store, r, cid(), iso),
      true,
    ),
    route(
      "POST",
      "/crm/v3/objects/contacts/batch/upsert",
      "contacts.upsert",
      (r) => upsertContacts(store, r, cid(), iso),
      true,
    ),
    route("POST", "/crm/v3/objects/notes", "notes.create", (r) => createNote(store, r, cid(), iso), true),
    route(
      "GET",
      "/crm/v4/objects/:type/:id/associations/:toType",
      "associations.list",
      typed((r) => listAssociations(store, r, cid())),
    ),
    route(
      "PUT",
      "/crm/v4/objects/:fromType/:id/associations/default/:toType/:toId",
      "associations.create_default",
      (r) => associateDefault(store, r, cid(), iso),
      true,
    ),
  ];

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
