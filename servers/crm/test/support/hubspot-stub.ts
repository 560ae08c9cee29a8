import {
  type HttpStub,
  type StubReply,
  type StubRequest,
  startHttpStub,
  stubRoutes,
} from "@gtm-mcp/tool-kit/testing";
import { associationsPage, company, errorBody, note, searchPage } from "./hubspot-fixtures.js";

/** A small stateful HubSpot over real HTTP, for the spawned server: one portal, some companies, notes it stores. */
export interface HubSpotStub extends HttpStub {
  /** Notes created so far, by id. */
  notes: Map<string, { companyId: string; body: string; timestamp: string }>;
  /** The next `count` note creates are stored, then answered by dropping the connection. */
  dropNoteCreates(count: number): void;
}

/** Options of {@link startHubSpotStub}. */
export interface HubSpotStubOptions {
  portalId: number;
  token?: string;
  /**
   * Whether note search honours `hs_object_id IN` (default true). vendors.md does not promise
   * it: false is a HubSpot whose search filters stored properties only, so it finds no note.
   */
  searchByObjectId?: boolean;
}

type Filter = { propertyName: string; operator: string; value?: string; values?: string[] };
type Search = { filterGroups?: Array<{ filters: Filter[] }> };

/**
 * Starts the stub. `portalId` is what `/account-info/{version}/details` answers; `token`, when set,
 * is the only one accepted (others get a 401 that echoes what was sent, like a careless vendor).
 */
export async function startHubSpotStub(options: HubSpotStubOptions): Promise<HubSpotStub> {
  const notes = new Map<string, { companyId: string; body: string; timestamp: string }>();
  const companies = new Map([["42", company("42", { domain: "acme.com", name: "Acme" })]]);
  const contacts = new Set(["901"]);
  let nextNoteId = 9000;
  const state = { dropNoteCreates: 0 };

  const authorized = (handler: (req: StubRequest) => StubReply) => (req: StubRequest) => {
    const sent = String(req.headers.authorization ?? "");
    if (options.token !== undefined && sent !== `Bearer ${options.token}`) {
      return {
        status: 401,
        body: errorBody("INVALID_AUTHENTICATION", `Authentication credentials not found: ${sent}`),
      };
    }
    return handler(req);
  };
  const filterOf = (req: StubRequest, name: string) =>
    (req.body as Search).filterGroups?.[0]?.filters.find((f) => f.propertyName === name);

  const stub = await startHttpStub(
    stubRoutes({
      "GET /account-info/:version/details": authorized(() => ({
        status: 200,
        body: {
          portalId: options.portalId,
          accountType: "STANDARD",
          timeZone: "Europe/Berlin",
          uiDomain: "app.hubspot.com",
        },
      })),
      "GET /crm/objects/:version/companies/:id": authorized((req) => {
        const found = companies.get(req.params.id!);
        return found
          ? { status: 200, body: found }
          : { status: 404, body: errorBody("OBJECT_NOT_FOUND", "Object not found.") };
      }),
      "POST /crm/objects/:version/companies/search": authorized((req) => {
        const domain = filterOf(req, "domain")?.value;
        return {
          status: 200,
          body: searchPage([...companies.values()].filter((c) => !domain || c.properties.domain === domain)),
        };
      }),
      "POST /crm/associations/:version/companies/notes/batch/read": authorized((req) => {
        const from = (req.body as { inputs: Array<{ id: string }> }).inputs[0]!.id;
        return {
          status: 200,
          body: associationsPage(
            [...notes].filter(([, n]) => n.companyId === from).map(([id]) => id),
            undefined,
            from,
          ),
        };
      }),
      "GET /crm/objects/:version/contacts/:id": authorized((req) =>
        contacts.has(req.params.id!)
          ? { status: 200, body: { id: req.params.id, properties: {}, archived: false } }
          : { status: 404, body: errorBody("OBJECT_NOT_FOUND", "Object not found.") },
      ),
      "GET /crm/objects/:version/notes/:id": authorized((req) => {
        const stored = notes.get(req.params.id!);
        return stored
          ? { status: 200, body: note(req.params.id!, stored.body, stored.timestamp) }
          : { status: 404, body: errorBody("OBJECT_NOT_FOUND", "Object not found.") };
      }),
      "POST /crm/objects/:version/notes/search": authorized((req) => {
        const ids = options.searchByObjectId === false ? [] : (filterOf(req, "hs_object_id")?.values ?? []);
        const results = ids.flatMap((id) => {
          const stored = notes.get(id);
          return stored ? [note(id, stored.body, stored.timestamp)] : [];
        });
        return { status: 200, body: searchPage(results) };
      }),
      "POST /crm/objects/:version/notes": authorized((req) => {
        const body = req.body as {
          properties: { hs_note_body: string; hs_timestamp: string };
          associations: Array<{ to: { id: string }; types: Array<{ associationTypeId: number }> }>;
        };
        const companyId =
          body.associations.find((a) => a.types.some((t) => t.associationTypeId === 190))?.to.id ?? "";
        const id = String(nextNoteId++);
        notes.set(id, {
          companyId,
          body: body.properties.hs_note_body,
          timestamp: body.properties.hs_timestamp,
        });
        if (state.dropNoteCreates > 0) {
          state.dropNoteCreates -= 1;
          return { drop: true };
        }
        return { status: 201, body: note(id, body.properties.hs_note_body, body.properties.hs_timestamp) };
      }),
    }),
  );
  return Object.assign(stub, {
    notes,
    dropNoteCreates(count: number) {
      state.dropNoteCreates = count;
    },
  });
}
