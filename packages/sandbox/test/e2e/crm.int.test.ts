import { afterAll, beforeAll, describe, it } from "vitest";
import { HUBSPOT_API_VERSIONS } from "../../src/hubspot/validation-rules.js";
import { type Sandbox, startSandbox } from "../../src/index.js";
import { crmScenarios } from "./crm-scenarios.js";
import { type SpawnedServer, spawnServer } from "./spawn-server.js";

// The built crm server, spawned over stdio, against the HubSpot emulator: every scenario on
// every HubSpot API version the server accepts (HUBSPOT_API_VERSION).

describe.each(HUBSPOT_API_VERSIONS)(
  "crm server against the HubSpot emulator, HUBSPOT_API_VERSION=%s",
  (version) => {
    let sandbox: Sandbox;
    let crm: SpawnedServer;
    beforeAll(async () => {
      sandbox = await startSandbox({ accounts: 120, vendors: ["hubspot"], ports: { hubspot: 0 } });
      crm = await spawnServer("crm", { ...sandbox.env, HUBSPOT_API_VERSION: version });
    });
    afterAll(async () => {
      await crm?.close();
      await sandbox?.stop();
    });

    for (const scenario of crmScenarios) {
      it(scenario.name, () => scenario.run({ sandbox, crm, version }));
    }
  },
);
