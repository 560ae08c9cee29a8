import { defineProject } from "vitest/config";

export default defineProject({
  resolve: { conditions: ["@gtm-mcp/source"] },
  ssr: { resolve: { conditions: ["@gtm-mcp/source"] } },
  test: {
    name: "tool-kit",
    include: ["test/**/*.test.ts"],
    globalSetup: ["test/global-setup.ts"],
    testTimeout: 60_000,
    hookTimeout: 30_000,
  },
});
