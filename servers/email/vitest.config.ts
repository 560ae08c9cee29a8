import { defineProject } from "vitest/config";

export default defineProject({
  resolve: { conditions: ["@gtm-mcp/source"] },
  ssr: { resolve: { conditions: ["@gtm-mcp/source"] } },
  test: { name: "email", include: ["test/**/*.test.ts"], testTimeout: 120_000, hookTimeout: 60_000 },
});
