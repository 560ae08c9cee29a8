import { runMain } from "@gtm-mcp/tool-kit/server";
import { crmVars } from "./config.js";
import { DEFAULT_UPDATABLE } from "./model/company-fields.js";
import { verifyPortal } from "./portal-check.js";
import { createHubSpotClient, createServer, VERSION } from "./server.js";

await runMain({
  name: "crm",
  binary: "gtm-mcp-crm",
  version: VERSION,
  description: "MCP server over HubSpot CRM: accounts, contacts, activity notes; idempotent, capped writes",
  vars: crmVars,
  hasWriteTools: true,
  async start({ config, runtime, logger }) {
    const { vars } = config;
    // Required in every environment, so loadConfig has already refused to start without it.
    const token = vars.HUBSPOT_ACCESS_TOKEN!;
    const clientOptions = {
      // Always set: the sandbox emulator or the real API by default (vendorUrlVar).
      baseUrl: vars.HUBSPOT_BASE_URL!,
      // Defaulted (the current GA version), so always set: the one place the version is chosen.
      apiVersion: vars.HUBSPOT_API_VERSION!,
      credential: token.asCredential(),
      scrub: runtime.scrubber.text,
    };
    if (vars.HUBSPOT_PORTAL_ID !== undefined) {
      await verifyPortal(
        (checkLogger) => createHubSpotClient({ ...clientOptions, logger: checkLogger }),
        vars.HUBSPOT_PORTAL_ID,
        logger,
        clientOptions.apiVersion,
      );
    }
    const hubspot = createHubSpotClient({ ...clientOptions, logger });
    const updatableFields = vars.CRM_UPDATABLE_PROPERTIES ?? DEFAULT_UPDATABLE;
    return {
      createServer: () => createServer({ hubspot, runtime, updatableFields }),
      close: () => hubspot.close(),
    };
  },
});
