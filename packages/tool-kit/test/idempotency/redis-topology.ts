import { type ChildProcess, execFile, spawn } from "node:child_process";
import { once } from "node:events";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { Redis } from "ioredis";

// Real Redis Cluster and Sentinel deployments, started from the redis-server binary on free
// ports for the integration tests. Every wait is bounded by a generous deadline and polls a
// condition, never a fixed sleep.

const run = promisify(execFile);
const binary = process.env.REDIS_SERVER_BIN ?? "redis-server";

/** A group of redis processes in one temporary directory. */
export interface RedisGroup {
  stop(): Promise<void>;
}

export interface RedisClusterHandle extends RedisGroup {
  /** `redis+cluster://127.0.0.1:p1,127.0.0.1:p2,127.0.0.1:p3` */
  url: string;
}

export interface RedisSentinelHandle extends RedisGroup {
  /** `redis+sentinel://127.0.0.1:s1,…/mymaster` */
  url: string;
  /** The port of the current primary, as the sentinels see it. */
  primaryPort(): Promise<number>;
  /** SIGKILLs the current primary's process (a crash, no failover handshake). */
  killPrimary(): Promise<number>;
}

/** Starts a 3-primary Redis Cluster (no replicas) and waits until every node reports it ok. */
export async function startRedisCluster(): Promise<RedisClusterHandle> {
  const dir = mkdtempSync(join(tmpdir(), "gtm-cluster-"));
  const ports = await freePorts(3);
  const procs = await Promise.all(
    ports.map((port) =>
      launch(
        [
          "--port",
          String(port),
          "--bind",
          "127.0.0.1",
          "--save",
          "",
          "--appendonly",
          "no",
          "--cluster-enabled",
          "yes",
          "--cluster-config-file",
          join(dir, `nodes-${port}.conf`),
          "--cluster-node-timeout",
          "2000",
          "--dir",
          dir,
        ],
        port,
      ),
    ),
  );
  const stop = () => stopAll(procs, dir);
  try {
    await run("redis-cli", [
      "--cluster",
      "create",
      ...ports.map((p) => `127.0.0.1:${p}`),
      "--cluster-replicas",
      "0",
      "--cluster-yes",
    ]);
    await until(async () => {
      for (const port of ports) {
        const info = await command(port, ["CLUSTER", "INFO"]);
        if (!String(info).includes("cluster_state:ok")) return false;
      }
      return true;
    }, "the cluster to report cluster_state:ok");
  } catch (error) {
    await stop();
    throw error;
  }
  return { url: `redis+cluster://${ports.map((p) => `127.0.0.1:${p}`).join(",")}`, stop };
}

/**
 * Starts a primary, two replicas and three sentinels (quorum 2, 1 s down-after). Two replicas,
 * so that after a failover the promoted primary still has one to acknowledge claims.
 */
export async function startRedisSentinel(): Promise<RedisSentinelHandle> {
  const dir = mkdtempSync(join(tmpdir(), "gtm-sentinel-"));
  const [primary, ...rest] = (await freePorts(6)) as [number, ...number[]];
  const replicas = rest.slice(0, 2) as [number, number];
  const sentinelPorts = rest.slice(2) as [number, number, number];
  const data = (port: number, extra: string[] = []) =>
    launch(
      [
        "--port",
        String(port),
        "--bind",
        "127.0.0.1",
        "--save",
        "",
        "--appendonly",
        "no",
        "--dir",
        dir,
        ...extra,
      ],
      port,
    );
  const procs = new Map<number, ChildProcess>();
  const stop = () => stopAll([...procs.values()], dir);
  try {
    procs.set(primary, await data(primary));
    for (const replica of replicas) {
      procs.set(replica, await data(replica, ["--replicaof", "127.0.0.1", String(primary)]));
      await until(
        async () => String(await command(replica, ["INFO", "replication"])).includes("master_link_status:up"),
        "the replica to sync",
      );
    }
    for (const port of sentinelPorts) {
      const conf = join(dir, `sentinel-${port}.conf`);
      writeFileSync(
        conf,
        [
          `port ${port}`,
          "bind 127.0.0.1",
          `dir ${dir}`,
          `sentinel monitor mymaster 127.0.0.1 ${primary} 2`,
          "sentinel down-after-milliseconds mymaster 1000",
          "sentinel failover-timeout mymaster 5000",
          "sentinel parallel-syncs mymaster 1",
          "",
        ].join("\n"),
      );
      procs.set(port, await launch([conf, "--sentinel"], port));
    }
    await until(async () => {
      const known = (await command(sentinelPorts[0]!, ["SENTINEL", "REPLICAS", "mymaster"])) as
        | unknown[]
        | undefined;
      const sentinels = (await command(sentinelPorts[0]!, ["SENTINEL", "SENTINELS", "mymaster"])) as
        | unknown[]
        | undefined;
      return known?.length === 2 && sentinels?.length === 2 && sentinels.length === 2;
    }, "the sentinels to discover the replicas and each other");
  } catch (error) {
    await stop();
    throw error;
  }
  const primaryPort = async () => {
    const [, port] = (await command(sentinelPorts[0]!, [
      "SENTINEL",
      "GET-MASTER-ADDR-BY-NAME",
      "mymaster",
    ])) as [string, string];
    return Number(port);
  };
  return {
    url: `redis+sentinel://${sentinelPorts.map((p) => `127.0.0.1:${p}`).join(",")}/mymaster`,
    stop,
    primaryPort,
    async killPrimary() {
      const port = await primaryPort();
      const proc = procs.get(port);
      if (proc === undefined) throw new Error(`no process on primary port ${port}`);
      const exited = once(proc, "exit");
      proc.kill("SIGKILL");
      await exited;
      procs.delete(port);
      return port;
    },
  };
}

async function launch(args: string[], port: number): Promise<ChildProcess> {
  const child = spawn(binary, args, { stdio: ["ignore", "ignore", "pipe"] });
  let output = "";
  child.stderr?.on("data", (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-2000);
  });
  const exited = new Promise<never>((_, reject) => {
    child.once("error", reject);
    child.once("exit", (code) => reject(new Error(`redis-server on ${port} exited (${code}): ${output}`)));
  });
  exited.catch(() => undefined);
  await Promise.race([
    until(async () => (await command(port, ["PING"])) === "PONG", `redis on ${port}`),
    exited,
  ]);
  return child;
}

async function command(port: number, args: string[]): Promise<unknown> {
  const client = new Redis({
    port,
    host: "127.0.0.1",
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    connectTimeout: 1000,
    retryStrategy: () => null,
  });
  client.on("error", () => undefined);
  try {
    await client.connect();
    return await client.call(args[0]!, ...args.slice(1));
  } catch {
    return undefined;
  } finally {
    client.disconnect();
  }
}

/** Polls `check` until it is true; fails after 60 s (generous: a loaded machine is slow). */
async function until(check: () => Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function stopAll(procs: ChildProcess[], dir: string): Promise<void> {
  await Promise.all(
    procs.map(async (proc) => {
      if (proc.exitCode !== null || proc.signalCode !== null) return;
      const exited = once(proc, "exit");
      proc.kill("SIGKILL");
      await exited;
    }),
  );
  rmSync(dir, { recursive: true, force: true });
}

async function freePorts(count: number): Promise<number[]> {
  const ports = new Set<number>();
  while (ports.size < count) ports.add(await freePort());
  return [...ports];
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}
