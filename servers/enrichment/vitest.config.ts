import { defineProject } from "vitest/config";

export default defineProject({
  resolve: { conditions: ["@gtm-mcp/source"] },
  ssr: { resolve: { conditions: ["@gtm-mcp/source"] } },
  test: { name: "enrichment", include: ["test/**/*.test.ts"], testTimeout: 30_000, hookTimeout: 30_000 },
});
