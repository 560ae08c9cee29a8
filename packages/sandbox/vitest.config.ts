import { configDefaults, defineProject } from "vitest/config";

export default defineProject({
  resolve: { conditions: ["@gtm-mcp/source"] },
  ssr: { resolve: { conditions: ["@gtm-mcp/source"] } },
  test: {
    name: "sandbox",
    include: ["test/**/*.test.ts"],
    // The published-contract checks need the vendors' descriptions, which may not be
    // redistributed: `pnpm test:contract` runs them (vitest.contract.config.ts).
    exclude: [...configDefaults.exclude, "test/**/*.contract.test.ts"],
    testTimeout: 30_000,
  },
});
