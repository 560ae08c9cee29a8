// Sections over real processes: the example server (pipeline) and the bare server over stdio;
// start-up (spawn → initialize answered) of the four built servers against a bare SDK hello
// server; RSS after start and as calls accumulate; each server's tools/list size.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { spawnStdioServer } from "@gtm-mcp/tool-kit/testing";
import { measureCalls, median } from "./measure.mjs";

export const ROOT = fileURLToPath(new URL("../../../", import.meta.url));
const BARE = fileURLToPath(new URL("./bare-server.mjs", import.meta.url));
const EXAMPLE = `${ROOT}packages/example-server/dist/main.js`;
export const SERVERS = (process.env.BENCH_SERVERS ?? "crm,enrichment,warehouse,email").split(",");

function rssKb(pid) {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  return Number(/^VmRSS:\s+(\d+)/m.exec(status)?.[1] ?? Number.NaN);
}

async function callOk(server, name, args) {
  const { error } = await server.call(name, args);
  if (error) throw new Error(`${name} failed: ${error.code}`);
}

/** Reads and writes over stdio: the bare server, then the pipeline (example server) on each store. */
export async function benchStdio({ stateUrls, calls }) {
  const out = {};
  const pipeline = (url) => ({
    GTM_STATE_URL: url,
    GTM_LOG_LEVEL: "info",
    GTM_MAX_WRITES_PER_RUN: "1000000",
  });
  for (const [label, entry, env] of [
    ["bare", BARE, {}],
    ...Object.entries(stateUrls).map(([kind, url]) => [`pipeline (${kind})`, EXAMPLE, pipeline(url)]),
  ]) {
    const server = await spawnStdioServer({ entry, env: { GTM_ENV: "sandbox", ...env } });
    try {
      const run = Math.random().toString(36).slice(2);
      out[label] = {
        reads: await measureCalls(() => callOk(server, "lookup_account", { account_id: "1001" }), { calls }),
        writes: await measureCalls(
          (i) =>
            callOk(server, "tag_account", { account_id: "1001", tag: "bench", occurrence: `${run}-${i}` }),
          { calls },
        ),
      };
    } finally {
      await server.close();
    }
  }
  return out;
}

/** Spawn → initialize answered, median of `rounds`, for each built server and the hello baseline. */
export async function benchStartup({ env, rounds }) {
  const entries = {
    hello: [BARE, ["--hello"], {}],
    ...Object.fromEntries(SERVERS.map((s) => [s, [`${ROOT}servers/${s}/dist/main.js`, [], env[s]]])),
  };
  const out = {};
  for (const [name, [entry, args, extra]] of Object.entries(entries)) {
    const times = [];
    let rss;
    let toolsListBytes;
    for (let i = 0; i < rounds; i++) {
      const started = performance.now();
      const server = await spawnStdioServer({ entry, args, env: { GTM_LOG_LEVEL: "warn", ...extra } });
      times.push(performance.now() - started);
      if (i === 0) {
        rss = rssKb(server.pid);
        toolsListBytes = Buffer.byteLength(JSON.stringify((await server.client.listTools()).tools));
      }
      await server.close();
    }
    out[name] = {
      startupMs: median(times),
      startupSpreadMs: [Math.min(...times), Math.max(...times)],
      rssKb: rss,
      toolsListBytes,
    };
  }
  return out;
}

/** RSS of the pipeline and the bare server as `total` read calls accumulate, at four points. */
export async function benchMemory({ stateUrl, total }) {
  const out = {};
  for (const [label, entry, env] of [
    ["bare", BARE, {}],
    ["pipeline", EXAMPLE, { GTM_STATE_URL: stateUrl, GTM_LOG_LEVEL: "info" }],
  ]) {
    const server = await spawnStdioServer({ entry, env: { GTM_ENV: "sandbox", ...env } });
    try {
      const points = [{ calls: 0, rssKb: rssKb(server.pid) }];
      for (let done = 0; done < total; ) {
        for (let i = 0; i < total / 4; i++, done++)
          await callOk(server, "lookup_account", { account_id: "1001" });
        points.push({ calls: done, rssKb: rssKb(server.pid) });
      }
      out[label] = points;
    } finally {
      await server.close();
    }
  }
  return out;
}
