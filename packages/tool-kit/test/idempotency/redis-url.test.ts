import { describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config/index.js";
import { parseRedisUrl } from "../../src/idempotency/redis-url.js";
import { checkStateUrl } from "../../src/idempotency/state-url.js";

describe("Redis state URLs", () => {
  it("reads Sentinel URLs: sentinels, primary name, db, password, replica acks (default 1)", () => {
    expect(parseRedisUrl("redis+sentinel://:s3cret-pass-word@h1:26379,10.0.0.2:26380/mymaster/2")).toEqual({
      mode: "sentinel",
      sentinels: [
        { host: "h1", port: 26379 },
        { host: "10.0.0.2", port: 26380 },
      ],
      name: "mymaster",
      db: 2,
      replicaAcks: 1,
      username: undefined,
      password: "s3cret-pass-word",
      tls: false,
    });
    expect(parseRedisUrl("rediss+sentinel://h:26379/m?replica_acks=0")).toMatchObject({
      tls: true,
      replicaAcks: 0,
      db: 0,
    });
  });

  it("reads Cluster URLs: seed nodes and credentials", () => {
    expect(parseRedisUrl("redis+cluster://app:pw%40x@h:7000,[::1]:7001")).toEqual({
      mode: "cluster",
      nodes: [
        { host: "h", port: 7000 },
        { host: "::1", port: 7001 },
      ],
      username: "app",
      password: "pw@x",
      tls: false,
    });
  });

  it("refuses malformed ones without echoing the URL (it may hold a password)", () => {
    for (const url of [
      "redis+sentinel://:hunter2hunter2@h:26379",
      "redis+sentinel://:hunter2hunter2@h/m",
      "redis+cluster://:hunter2hunter2@h:7000/1",
      "redis+cluster://:hunter2hunter2@h:99999",
      "redis+sentinel://:hunter2hunter2@h:1/m?wait=1",
    ]) {
      expect(() => checkStateUrl(url), url).toThrow(/GTM_STATE_URL/);
      try {
        checkStateUrl(url);
      } catch (error) {
        expect((error as Error).message).not.toContain("hunter2");
      }
    }
  });

  it("scrubs a Sentinel or Cluster URL's password like any secret", () => {
    for (const url of [
      "redis+sentinel://:sentinel-password-123@h:26379/mymaster",
      "redis+cluster://:cluster-password-123@h:7000,h:7001",
    ]) {
      const config = loadConfig({}, { GTM_STATE_URL: url, GTM_ENV: "staging" });
      const password = /:([^:@]+)@/.exec(url)![1]!;
      expect(config.secrets.values()).toContain(password);
    }
  });
});
