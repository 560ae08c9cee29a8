import { startRedisServer } from "@gtm-mcp/tool-kit/testing";
import { defineMatrixSuite } from "./matrix-suite.js";

// The fault matrix on the Redis store: a redis-server of its own on a free port.
defineMatrixSuite({
  name: "redis",
  async open() {
    const redis = await startRedisServer();
    return { url: redis.url, stop: () => redis.stop() };
  },
});
