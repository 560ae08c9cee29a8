import { defineConfig } from "vitest/config";

// Root entry for running every package's tests from the repository root (`pnpm vitest`).
// Each package keeps its own vitest.config.ts; `pnpm test` runs them through turbo.
export default defineConfig({
  test: {
    projects: ["packages/*", "servers/*"],
  },
});
