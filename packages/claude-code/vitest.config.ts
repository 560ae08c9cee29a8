import { defineProject } from "vitest/config";

export default defineProject({
  resolve: { conditions: ["@gtm-mcp/source"] },
  ssr: { resolve: { conditions: ["@gtm-mcp/source"] } },
  test: { name: "claude-code", include: ["test/**/*.test.ts"], testTimeout: 60_000, hookTimeout: 120_000 },
});
