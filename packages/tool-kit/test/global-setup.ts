import type { TestProject } from "vitest/node";
import { startRedisServer } from "../src/testing/redis-server.js";

declare module "vitest" {
  export interface ProvidedContext {
    /** The Redis the integration tests share: `REDIS_URL`, or a redis-server started here. */
    redisUrl: string;
  }
}

/**
 * Provides `inject("redisUrl")`: `REDIS_URL` when set, otherwise a redis-server started on a
 * free port and stopped after the run. A missing binary fails the run with the install hint;
 * the Redis tests never skip silently.
 */
export default async function setup(project: TestProject): Promise<(() => Promise<void>) | undefined> {
  const fromEnv = process.env.REDIS_URL?.trim();
  if (fromEnv) {
    project.provide("redisUrl", fromEnv);
    return undefined;
  }
  const server = await startRedisServer();
  project.provide("redisUrl", server.url);
  return () => server.stop();
}
