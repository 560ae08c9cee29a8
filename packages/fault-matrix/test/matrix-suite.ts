import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { type BookAccount, type Sandbox, startSandbox } from "@gtm-mcp/sandbox";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type CellRun, FAULT_POINTS, type MatrixRig, type MatrixVendor } from "../src/fault-points.js";
import { type CellVerdict, judgeCell, matrixTable } from "../src/matrix-verdict.js";
import { type ServerPool, startServerPool } from "../src/server-pool.js";
import { startVendorProxy, type VendorProxy } from "../src/vendor-proxy.js";
import { WRITE_SPECS } from "../src/write-specs.js";

const RESULTS = fileURLToPath(new URL("../results/", import.meta.url));

/** A store the matrix runs on: its name and how to get its `GTM_STATE_URL` (and stop it). */
export interface MatrixStore {
  name: "sqlite" | "redis";
  open(dir: string): Promise<{
    url: string;
    stop(): Promise<void>;
    /** Takes the store down; resolves once it is down, with `up`: it answers again, `forMs` later. */
    down(forMs: number): Promise<{ up: Promise<void> }>;
  }>;
}

/**
 * Every write × every fault point on one store: the built servers spawned over stdio (4
 * processes each, sharing the store and one run id) against the sandbox emulators, each
 * behind a proxy that can lose a request or answer a committed one with a 5xx.
 */
export function defineMatrixSuite(store: MatrixStore): void {
  let dir: string;
  let sandbox: Sandbox;
  let pool: ServerPool;
  let stopStore: () => Promise<void> = async () => {};
  const proxies = {} as Record<MatrixVendor, VendorProxy>;
  const verdicts: CellVerdict[] = [];
  let rig: MatrixRig;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), `fault-matrix-${store.name}-`));
    const opened = await store.open(dir);
    stopStore = opened.stop;
    sandbox = await startSandbox({
      seed: `fault-matrix-${store.name}`,
      accounts: 200,
      vendors: ["hubspot", "pdl", "gmail"],
      ports: { hubspot: 0, pdl: 0, gmail: 0 },
      noLimits: true,
    });
    const env: Record<string, string> = { ...sandbox.env };
    for (const vendor of ["hubspot", "pdl", "gmail"] as const) {
      proxies[vendor] = await startVendorProxy(sandbox.origins[vendor]!);
      for (const [name, value] of Object.entries(env))
        if (value.startsWith(sandbox.origins[vendor]!))
          env[name] = proxies[vendor].origin + value.slice(sandbox.origins[vendor]!.length);
    }
    pool = await startServerPool(
      {
        ...env,
        GTM_ENV: "sandbox",
        GTM_ENABLE_WRITES: "true",
        GTM_STATE_URL: opened.url,
        GTM_RUN_ID: `fault-matrix-${store.name}`,
        GTM_MAX_WRITES_PER_RUN: "10000",
        GTM_LOG_LEVEL: "warn",
        EMAIL_SEND_MODE: "on",
        EMAIL_MAX_SENDS_PER_RUN: "1000",
        ENRICHMENT_MAX_CALLS_PER_RUN: "1000",
      },
      4,
    );
    const taken = new Set<string>();
    rig = {
      sandbox,
      pool,
      proxies,
      nextAccount(accept: (account: BookAccount) => boolean) {
        const account = sandbox.book.accounts.find((a) => !taken.has(a.companyId) && accept(a));
        if (!account) throw new Error("the book has no account left for another cell");
        taken.add(account.companyId);
        return account;
      },
      personSendsDraft: (draftId) => personSendsDraft(sandbox, draftId),
      storeDown: (forMs) => opened.down(forMs),
    };
  });

  afterAll(async () => {
    await pool?.close();
    for (const proxy of Object.values(proxies)) await proxy.close();
    await sandbox?.stop();
    await stopStore();
    if (dir) rmSync(dir, { recursive: true, force: true });
    // Only a whole run rewrites the results (a run filtered with -t would leave cells out).
    const cells = FAULT_POINTS.reduce(
      (n, point) => n + WRITE_SPECS.filter((s) => point.applies(s)).length,
      0,
    );
    if (verdicts.length !== cells) return;
    mkdirSync(RESULTS, { recursive: true });
    writeFileSync(join(RESULTS, `${store.name}.json`), `${JSON.stringify(verdicts, null, 2)}\n`);
    const all = ["sqlite", "redis"].flatMap((name) => {
      const file = join(RESULTS, `${name}.json`);
      return existsSync(file) ? (JSON.parse(readFileSync(file, "utf8")) as CellVerdict[]) : [];
    });
    const table = matrixTable(all, FAULT_POINTS);
    writeFileSync(join(RESULTS, "fault-matrix.md"), `${table}\n`);
    console.log(`fault matrix (${store.name}):\n${matrixTable(verdicts, FAULT_POINTS)}`);
  });

  for (const point of FAULT_POINTS) {
    describe(`${point.title} (${store.name})`, () => {
      const specs = WRITE_SPECS.filter((s) => point.applies(s));
      const judged = new Map<string, CellVerdict>();
      beforeAll(async () => {
        const cells: CellRun[] = await point.run(rig, specs);
        for (const cell of cells) {
          const verdict = judgeCell(cell, await cell.spec.effects(rig, cell.subject), point.id, store.name);
          judged.set(cell.spec.tool, verdict);
          verdicts.push(verdict);
        }
      });
      for (const spec of specs) {
        it(`${spec.tool}: exactly once under "${point.title}" on ${store.name}`, () => {
          const verdict = judged.get(spec.tool);
          expect(verdict, `no cell ran for ${spec.tool}`).toBeDefined();
          const cell = `${spec.tool} × ${point.id} × ${store.name}`;
          expect(
            verdict!.pass,
            `${cell}: expected ${verdict!.expected}; got ${verdict!.got}; answers: ${verdict!.answers}`,
          ).toBe(true);
        });
      }
    });
  }
}

/** Sends a draft as its owner would in Gmail: a token from the emulator's OAuth endpoint, then drafts.send. */
async function personSendsDraft(sandbox: Sandbox, draftId: string): Promise<void> {
  const env = sandbox.env;
  const token = await fetch(env.GMAIL_TOKEN_URL!, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({
      grant_type: "refresh_token",
      client_id: env.GMAIL_CLIENT_ID!,
      client_secret: env.GMAIL_CLIENT_SECRET!,
      refresh_token: env.GMAIL_REFRESH_TOKEN!,
    }),
  });
  const { access_token } = (await token.json()) as { access_token: string };
  const sent = await fetch(`${env.GMAIL_BASE_URL}/drafts/send`, {
    method: "POST",
    headers: { authorization: `Bearer ${access_token}`, "content-type": "application/json" },
    body: JSON.stringify({ id: draftId }),
  });
  if (sent.status !== 200) throw new Error(`the person's send of ${draftId} answered ${sent.status}`);
}
