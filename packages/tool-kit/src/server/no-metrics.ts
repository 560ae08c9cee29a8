import type { ServerMetrics } from "./metrics.js";

/**
 * The metrics of a process nobody can scrape (stdio has no `/metrics`): every observation is
 * dropped and the store is used as it is, so prom-client is never loaded and no call pays for
 * series no one reads.
 */
export const NO_METRICS: ServerMetrics = {
  observeToolCall() {},
  observeHttp() {},
  instrumentStore: (store) => store,
  setCapLimits() {},
  watchSecretFiles() {},
  describe: () => [],
  contentType: "text/plain; version=0.0.4; charset=utf-8",
  render: async () => "",
  close() {},
};
