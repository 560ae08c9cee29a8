import type { VendorName } from "@gtm-mcp/sandbox";
import { type Attempt, callOnce, settleCall } from "./settle-call.js";
import type { VendorProxy } from "./vendor-proxy.js";
import type { MatrixWorld, Subject, WriteSpec } from "./write-specs.js";

/** The vendors a matrix drives, each behind its proxy. */
export type MatrixVendor = WriteSpec["vendor"];

/** What a fault point needs beyond the world: the proxies and a person's hands on Gmail. */
export interface MatrixRig extends MatrixWorld {
  proxies: Record<MatrixVendor, VendorProxy>;
  /** Sends a draft as the mailbox's owner would, straight at the Gmail emulator. */
  personSendsDraft(draftId: string): Promise<void>;
  /** Takes the shared store down; resolves once it is down, with `up`, when it answers again. */
  storeDown(forMs: number): Promise<{ up: Promise<void> }>;
}

/** One cell as it ran: every answer its calls got, in order. */
export interface CellRun {
  spec: WriteSpec;
  subject: Subject;
  attempts: Attempt[];
  /** Effects the cell expects whatever the answers say (a person's own send, say). */
  expectEffects?: number;
}

/** A fault point of the table and how the matrix produces it. */
export interface FaultPoint {
  id: string;
  title: string;
  /** The specs it applies to (a person acting is modelled for the email tools). */
  applies(spec: WriteSpec): boolean;
  run(rig: MatrixRig, specs: readonly WriteSpec[]): Promise<CellRun[]>;
}

const CLEAR = {};
/**
 * Calls per process in `concurrent_duplicates`: 10 by default keeps CI to minutes on two
 * loaded cores; `FAULT_MATRIX_DUPLICATES=25` runs the 4 × 25.
 */
const DUPLICATES = Math.max(1, Number(process.env.FAULT_MATRIX_DUPLICATES ?? 10) || 10);
const KILLED = "the cell killed the process under this call";
const VENDOR_5XX: Record<MatrixVendor, string> = {
  hubspot: JSON.stringify({
    status: "error",
    message: "internal error",
    correlationId: "fault-matrix",
    category: "INTERNAL_ERROR",
  }),
  gmail: JSON.stringify({
    error: {
      code: 503,
      message: "The service is currently unavailable.",
      errors: [
        { message: "The service is currently unavailable.", domain: "global", reason: "backendError" },
      ],
      status: "UNAVAILABLE",
    },
  }),
  pdl: JSON.stringify({ status: 503, error: { type: "api_error", message: "An unexpected error occurred" } }),
};

const vendorsOf = (specs: readonly WriteSpec[]) => [...new Set(specs.map((s) => s.vendor))];
const opsOf = (specs: readonly WriteSpec[], vendor: MatrixVendor) =>
  specs.filter((s) => s.vendor === vendor).map((s) => s.operation);

async function setFaultsOn(
  rig: MatrixRig,
  specs: readonly WriteSpec[],
  config: (vendor: MatrixVendor, operations: string[]) => Record<string, unknown>,
): Promise<void> {
  await Promise.all(
    vendorsOf(specs).map((v) => rig.sandbox.admin.setFaults(v as VendorName, config(v, opsOf(specs, v)))),
  );
}

async function clearFaults(rig: MatrixRig, specs: readonly WriteSpec[]): Promise<void> {
  await setFaultsOn(rig, specs, () => CLEAR);
}

async function subjectsOf(rig: MatrixRig, specs: readonly WriteSpec[], fault: string) {
  return Promise.all(
    specs.map(async (spec) => ({ spec, subject: await spec.subject(rig, `${fault} ${spec.tool}`) })),
  );
}

/** Polls until `done` holds, at most `boundMs` (a generous give-up bound, not a timing). */
async function until(done: () => Promise<boolean>, boundMs = 60_000): Promise<boolean> {
  const end = Date.now() + boundMs;
  while (Date.now() < end) {
    if (await done()) return true;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return false;
}

/**
 * The common shape: arm the fault, make each cell's first call on process 0, disarm, then
 * retry each call (on `retrySlot`) until it settles.
 */
async function firstUnderFault(
  rig: MatrixRig,
  specs: readonly WriteSpec[],
  fault: string,
  arm: () => Promise<void>,
  options: { retrySlot?: number; between?: (cells: CellRun[]) => Promise<void> } = {},
): Promise<CellRun[]> {
  const cells: CellRun[] = (await subjectsOf(rig, specs, fault)).map((c) => ({ ...c, attempts: [] }));
  await arm();
  await Promise.all(
    cells.map(async (cell) => {
      cell.attempts.push(
        await callOnce(rig.pool.process(cell.spec.server, 0), cell.spec.tool, cell.subject.args),
      );
    }),
  );
  await clearFaults(rig, specs);
  if (options.between) await options.between(cells);
  const slot = options.retrySlot ?? 0;
  await Promise.all(
    cells.map(async (cell) => {
      cell.attempts.push(
        ...(await settleCall(
          () => rig.pool.process(cell.spec.server, slot),
          cell.spec.tool,
          cell.subject.args,
        )),
      );
    }),
  );
  return cells;
}

/**
 * Holds each cell's write at the proxy (claimed, not yet at the vendor), runs `whileHeld`,
 * then retries each call until it settles. `whileHeld` lets the held requests go.
 */
async function heldAtProxy(
  rig: MatrixRig,
  specs: readonly WriteSpec[],
  fault: string,
  kills: boolean,
  whileHeld: (cells: CellRun[], firstCalls: Promise<void>) => Promise<void>,
): Promise<CellRun[]> {
  const cells: CellRun[] = (await subjectsOf(rig, specs, fault)).map((c) => ({ ...c, attempts: [] }));
  const vendors = vendorsOf(specs);
  const before = new Map(vendors.map((v) => [v, rig.proxies[v].applied.hold]));
  for (const spec of specs)
    rig.proxies[spec.vendor].arm({ fault: "hold", method: spec.method, path: spec.path, times: 1 });
  const firstCalls = Promise.all(
    cells.map(async (cell) => {
      const attempt = await callOnce(
        rig.pool.process(cell.spec.server, 0),
        cell.spec.tool,
        cell.subject.args,
      );
      cell.attempts.push(attempt.answer === "none" && kills ? { ...attempt, lost: KILLED } : attempt);
    }),
  ).then(() => undefined);
  const wanted = (v: MatrixVendor) => (before.get(v) ?? 0) + specs.filter((s) => s.vendor === v).length;
  await until(async () => vendors.every((v) => rig.proxies[v].applied.hold >= wanted(v)));
  await whileHeld(cells, firstCalls);
  await Promise.all(
    cells.map(async (cell) => {
      cell.attempts.push(
        ...(await settleCall(() => rig.pool.process(cell.spec.server, 0), cell.spec.tool, cell.subject.args)),
      );
    }),
  );
  return cells;
}

/** Every fault point the matrix drives, in the order of the table. */
export const FAULT_POINTS: readonly FaultPoint[] = [
  {
    id: "lost_before_vendor",
    title: "request lost before the vendor",
    applies: () => true,
    run: (rig, specs) =>
      firstUnderFault(rig, specs, "lost before", async () => {
        for (const spec of specs)
          rig.proxies[spec.vendor].arm({
            fault: "reset_before",
            method: spec.method,
            path: spec.path,
            times: 1,
          });
      }),
  },
  {
    id: "commit_then_drop",
    title: "committed, answer lost",
    applies: () => true,
    run: (rig, specs) =>
      firstUnderFault(rig, specs, "commit drop", () =>
        setFaultsOn(rig, specs, (_v, operations) => ({ commitThenDrop: { rate: 1, operations } })),
      ),
  },
  {
    id: "commit_then_5xx",
    title: "committed, then 5xx",
    applies: () => true,
    run: (rig, specs) =>
      firstUnderFault(rig, specs, "commit 5xx", async () => {
        for (const spec of specs)
          rig.proxies[spec.vendor].arm({
            fault: "commit_then_5xx",
            method: spec.method,
            path: spec.path,
            times: 1,
            body: VENDOR_5XX[spec.vendor],
          });
      }),
  },
  {
    id: "deadline_mid_request",
    title: "deadline passes mid-request",
    applies: () => true,
    // The vendor works past the tool's deadline; the retry comes once it has finished (the
    // effect is visible), as a retry after the agent's back-off would.
    run: (rig, specs) =>
      firstUnderFault(
        rig,
        specs,
        "deadline",
        () =>
          setFaultsOn(rig, specs, (vendor, operations) => ({
            latency: {
              fixedMs: Math.max(...specs.filter((s) => s.vendor === vendor).map((s) => s.deadlineMs)) + 1_500,
            },
            operations,
          })),
        {
          between: async (cells) => {
            await Promise.all(
              cells.map((cell) => until(async () => (await cell.spec.effects(rig, cell.subject)) >= 1)),
            );
          },
        },
      ),
  },
  {
    id: "sigkill_before_vendor",
    title: "SIGKILL after the claim, before the vendor",
    applies: () => true,
    // The write is held at the proxy (the key is claimed); the server is killed, its request
    // never reaches the vendor, and the call is retried on the process spawned in its place.
    run: (rig, specs) =>
      heldAtProxy(rig, specs, "kill before", true, async (_cells, firstCalls) => {
        await Promise.all(
          [...new Set(specs.map((s) => s.server))].map((server) => rig.pool.respawn(server, 0)),
        );
        for (const vendor of vendorsOf(specs)) rig.proxies[vendor].release("reset");
        await firstCalls;
      }),
  },
  {
    id: "sigkill_after_vendor",
    title: "SIGKILL after the vendor, before completion",
    applies: () => true,
    // The write is held at the vendor (latency); once the vendor has it, the server is killed,
    // spawned again, and the call retried there.
    async run(rig, specs) {
      const cells: CellRun[] = (await subjectsOf(rig, specs, "sigkill")).map((c) => ({ ...c, attempts: [] }));
      const served = async () => {
        const all = await rig.sandbox.admin.requests();
        return (spec: WriteSpec) => all[spec.vendor]?.byOperation[spec.operation] ?? 0;
      };
      const before = await served();
      await setFaultsOn(rig, specs, (_v, operations) => ({ latency: { fixedMs: 3_000 }, operations }));
      const inFlight = cells.map(async (cell) => {
        const attempt = await callOnce(
          rig.pool.process(cell.spec.server, 0),
          cell.spec.tool,
          cell.subject.args,
        );
        cell.attempts.push(attempt.answer === "none" ? { ...attempt, lost: KILLED } : attempt);
      });
      await until(async () => {
        const now = await served();
        return specs.every((s) => now(s) > before(s));
      });
      await Promise.all(
        [...new Set(specs.map((s) => s.server))].map((server) => rig.pool.respawn(server, 0)),
      );
      await Promise.all(inFlight);
      await clearFaults(rig, specs);
      await Promise.all(
        cells.map(async (cell) => {
          cell.attempts.push(
            ...(await settleCall(
              () => rig.pool.process(cell.spec.server, 0),
              cell.spec.tool,
              cell.subject.args,
            )),
          );
        }),
      );
      return cells;
    },
  },
  {
    id: "retry_other_process",
    title: "retry on another process",
    applies: () => true,
    run: (rig, specs) =>
      firstUnderFault(
        rig,
        specs,
        "other process",
        () => setFaultsOn(rig, specs, (_v, operations) => ({ commitThenDrop: { rate: 1, operations } })),
        { retrySlot: 1 },
      ),
  },
  {
    id: "store_down",
    title: "store down mid-call",
    applies: () => true,
    // The key is claimed and the write held at the proxy; the store goes down, the write
    // goes on to the vendor and is answered while the store cannot record it; once the store
    // is back, the call is retried.
    run: (rig, specs) =>
      heldAtProxy(rig, specs, "store down", false, async (_cells, firstCalls) => {
        const { up } = await rig.storeDown(8_000);
        for (const vendor of vendorsOf(specs)) rig.proxies[vendor].release("forward");
        await firstCalls;
        await up;
      }),
  },
  {
    id: "person_acts",
    title: "a person acts between attempts",
    applies: (spec) => spec.vendor === "gmail",
    // The draft is sent by a person between the attempts: after a lost create (one draft
    // must still exist, sent), or after a send lost before Gmail (one send, the person's).
    async run(rig, specs) {
      const drafts = specs.filter((s) => s.tool === "create_outreach_draft");
      const sends = specs.filter((s) => s.tool === "send_draft");
      const personSends = async (cells: CellRun[]) => {
        const state = await rig.sandbox.admin.state<{
          drafts: Array<{ draftId: string; to: string; sent: boolean }>;
        }>("gmail");
        for (const cell of cells) {
          const draft = state.drafts.find((d) => !d.sent && d.to.includes(cell.subject.recipient!));
          if (draft) await rig.personSendsDraft(draft.draftId);
        }
      };
      const created = await firstUnderFault(
        rig,
        drafts,
        "person",
        () => setFaultsOn(rig, drafts, (_v, operations) => ({ commitThenDrop: { rate: 1, operations } })),
        { between: personSends },
      );
      const sent = await firstUnderFault(
        rig,
        sends,
        "person",
        async () => {
          for (const spec of sends)
            rig.proxies.gmail.arm({ fault: "reset_before", method: spec.method, path: spec.path, times: 1 });
        },
        { between: personSends },
      );
      return [...created, ...sent].map((cell) => ({ ...cell, expectEffects: 1 }));
    },
  },
  {
    id: "concurrent_duplicates",
    title: "concurrent duplicates",
    applies: () => true,
    // The same call from 4 processes at once, DUPLICATES times each, then retried until it settles.
    async run(rig, specs) {
      const cells: CellRun[] = (await subjectsOf(rig, specs, "concurrent")).map((c) => ({
        ...c,
        attempts: [],
      }));
      await Promise.all(
        cells.flatMap((cell) =>
          Array.from({ length: 4 * DUPLICATES }, async (_, i) => {
            cell.attempts.push(
              await callOnce(rig.pool.process(cell.spec.server, i % 4), cell.spec.tool, cell.subject.args),
            );
          }),
        ),
      );
      await Promise.all(
        cells.map(async (cell) => {
          cell.attempts.push(
            ...(await settleCall(
              () => rig.pool.process(cell.spec.server, 0),
              cell.spec.tool,
              cell.subject.args,
            )),
          );
        }),
      );
      return cells;
    },
  },
];
