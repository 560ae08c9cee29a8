import { defineProject } from "vitest/config";

// `pnpm test:contract`: the checks of recorded requests and answers against the vendors'
// published descriptions (HUBSPOT_OPENAPI_DIR; see README.md, "Published contracts").
export default defineProject({
  resolve: { conditions: ["@gtm-mcp/source"] },
  ssr: { resolve: { conditions: ["@gtm-mcp/source"] } },
  test: { name: "sandbox-contract", include: ["test/**/*.contract.test.ts"], testTimeout: 60_000 },
});
