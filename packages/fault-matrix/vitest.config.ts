import { defineProject } from "vitest/config";

export default defineProject({
  resolve: { conditions: ["@gtm-mcp/source"] },
  ssr: { resolve: { conditions: ["@gtm-mcp/source"] } },
  // Each store's matrix is one file: the two run side by side, their cells in order.
  test: { name: "fault-matrix", include: ["test/**/*.test.ts"], testTimeout: 300_000, hookTimeout: 300_000 },
});
