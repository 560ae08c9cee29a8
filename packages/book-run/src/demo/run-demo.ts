import { type CheckResult, checkExactlyOnce } from "../check/exactly-once.js";
import { startLiveView } from "../live/live-view.js";
import { type BookRunReport, buildReport, type CpuFigures, type EmulatorFigures } from "../report/report.js";
import type { SchedulerClock } from "../run/retry-scheduler.js";
import { type BookOutcome, runBook } from "../run/run-book.js";
import { RunStats } from "../stats/run-stats.js";
import { ENRICHMENT_OUTAGE, planKills, seededRandom } from "./chaos-plan.js";
import type { DemoOptions } from "./demo-options.js";
import type { SandboxPort, ServersPort } from "./ports.js";
import { type KillRecord, WriteAimedKills } from "./write-aimed-kills.js";

/** Server kills in a chaos run (the first on crm, the second on email: see {@link planKills}). */
export const CHAOS_KILLS = 6;

/** One draft in this many is sent (by a hash of its recipient): see {@link sendsDraftTo}. */
export const SEND_ONE_IN = 5;

/**
 * Whether the sandbox run sends the draft it wrote to `recipient`: one recipient in
 * {@link SEND_ONE_IN}, chosen by a hash of the address, so the same recipients in every run
 * of the book (a rerun calls the same sends again and must be answered by replays) and a
 * count that stays well under the send cap ({@link sendCapFor}). A cap that bit would make
 * which drafts go out depend on the workers' timing, and a rerun could not replay them all.
 */
export function sendsDraftTo(recipient: string): boolean {
  let h = 0x811c9dc5;
  for (const ch of recipient.toLowerCase()) h = Math.imul(h ^ ch.charCodeAt(0), 0x01000193) >>> 0;
  return h % SEND_ONE_IN === 0;
}

/** What {@link runDemo} needs besides the options. */
export interface DemoDeps {
  sandbox: SandboxPort;
  servers: ServersPort;
  /** Where the live view draws (stderr). */
  liveStream: NodeJS.WritableStream & { isTTY?: boolean };
  clock: SchedulerClock;
  now: () => number;
  /** The send cap the email server runs with. */
  sendCap: number;
  storeName: string;
  /** Refresh of the plain (non-TTY) live lines; default 10 s. */
  liveIntervalMs?: number;
}

/**
 * The book run: the workflow over the whole book through the servers; under chaos with faults
 * in every emulator and servers killed mid-run, then the same book again, which must write
 * nothing. Returns the report; its `check.passed` decides the exit code.
 */
export async function runDemo(options: DemoOptions, deps: DemoDeps): Promise<BookRunReport> {
  const { sandbox, servers } = deps;
  const book = sandbox.book.slice(0, options.accounts);
  const random = seededRandom(`${options.seed}/chaos`);
  const kills = options.chaos ? planKills(book.length, CHAOS_KILLS, random) : [];
  const outageAt = options.chaos ? Math.floor(book.length * ENRICHMENT_OUTAGE.startsAt) : -1;
  const restarts: KillRecord[] = [];
  if (options.chaos) await sandbox.startChaos();

  const stats = new RunStats(book.length, deps.now);
  const aimed = new WriteAimedKills(servers, random, deps.now);
  const pending: Array<Promise<unknown>> = [];
  const onAccount = (_: unknown, done: number) => {
    if (done === outageAt) pending.push(sandbox.enrichmentOutage(ENRICHMENT_OUTAGE.forMs));
    for (const kill of kills.filter((k) => k.afterAccounts === done))
      pending.push(aimed.kill(kill.server, () => stats.elapsedMs()).then((r) => restarts.push(r)));
  };
  const sends = deps.sendCap > 0 ? sendsDraftTo : undefined;
  const view = startLiveView({
    stream: deps.liveStream,
    snapshot: () => stats.snapshot(),
    ...(deps.liveIntervalMs !== undefined ? { intervalMs: deps.liveIntervalMs } : {}),
  });
  const cpuBefore = process.cpuUsage();
  const serversCpuBefore = (await servers.cpuMs?.()) ?? {};
  const emulatorsCpuBefore = sandbox.cpuMs?.();
  let first: BookOutcome;
  try {
    first = await runBook({
      book,
      caller: aimed,
      stats,
      clock: deps.clock,
      now: deps.now,
      runDate: options.runDate,
      workers: options.workers,
      onAccount,
      ...(sends ? { sends } : {}),
    });
    await Promise.all(pending);
  } finally {
    view.stop();
  }
  const wallTimeMs = stats.elapsedMs();
  const cpu = cpuSince(cpuBefore, serversCpuBefore, (await servers.cpuMs?.()) ?? {}, restarts.length > 0);
  if (emulatorsCpuBefore !== undefined) {
    const after = sandbox.cpuMs?.() ?? null;
    cpu.emulatorsMs = after === null || emulatorsCpuBefore === null ? null : after - emulatorsCpuBefore;
  }
  const emulators: EmulatorFigures = {
    latencyMs: options.latencyMs,
    limits: options.noLimits ? "none" : options.realLimits ? "published" : "scaled",
  };
  const requests = await sandbox.requests?.();
  if (requests !== undefined) emulators.requests = requests;
  const afterFirst = await sandbox.state();
  const writes = {
    runDate: options.runDate,
    notedAccounts: first.tally.notedAccounts,
    draftedRecipients: first.tally.draftedRecipients,
    sentRecipients: first.tally.sentRecipients,
    uncertainAccounts: first.tally.uncertainAccounts,
    uncertainRecipients: first.tally.uncertainRecipients,
    uncertainSends: first.tally.uncertainSends,
    lostLookups: first.tally.lostLookups,
    sendCap: deps.sendCap,
  };
  let check: CheckResult = checkExactlyOnce(afterFirst, writes);
  let secondRun: BookRunReport["secondRun"];
  if (options.chaos) {
    const again = new RunStats(book.length, deps.now);
    const second = await runBook({
      book,
      caller: servers,
      stats: again,
      clock: deps.clock,
      now: deps.now,
      runDate: options.runDate,
      workers: options.workers,
      ...(sends ? { sends } : {}),
    });
    const afterSecond = await sandbox.state();
    const t = second.tally;
    check = checkExactlyOnce(afterSecond, secondRunWrites(writes, second), afterFirst, {
      first: { notes: writes.notedAccounts, drafts: writes.draftedRecipients, sends: writes.sentRecipients },
      replayed: t.replayedTargets,
    });
    secondRun = {
      wallTimeMs: again.elapsedMs(),
      calls: again.calls,
      writesAttempted: t.writesStarted,
      writesReplayed: t.notes.replayed + t.drafts.replayed + t.sends.replayed,
      replaysByTool: {
        log_activity_note: t.notes.replayed,
        create_outreach_draft: t.drafts.replayed,
        send_draft: t.sends.replayed,
      },
      writesRefused: t.writesRefused,
      newWrites: t.notes.written + t.drafts.written + t.sends.written,
    };
  }
  return buildReport(stats, {
    runDate: options.runDate,
    seed: options.seed,
    chaos: options.chaos,
    workers: options.workers,
    store: deps.storeName,
    assessments: first.tally.assessments,
    draftReasons: first.tally.draftReasons,
    signals: first.tally.signals,
    notes: first.tally.notes,
    drafts: first.tally.drafts,
    sends: first.tally.sends,
    faultsInjected: await sandbox.faultsInjected(),
    restarts,
    check,
    wallTimeMs,
    emulators,
    cpu,
    ...(secondRun !== undefined ? { secondRun } : {}),
  });
}

/** CPU spent since the `before` readings: this process's, and each server's (null when unknown or restarted). */
function cpuSince(
  before: NodeJS.CpuUsage,
  serversBefore: Record<string, number | null>,
  serversAfter: Record<string, number | null>,
  restarted: boolean,
): CpuFigures {
  const own = process.cpuUsage(before);
  const serversMs: Record<string, number | null> = {};
  for (const [name, after] of Object.entries(serversAfter)) {
    const start = serversBefore[name];
    serversMs[name] = restarted || after == null || start == null ? null : after - start;
  }
  return { bookRunMs: (own.user + own.system) / 1000, serversMs };
}

/** After the second run, writes it settled join the first run's (an uncertain one may now be known). */
function secondRunWrites(first: Parameters<typeof checkExactlyOnce>[1], second: BookOutcome) {
  const union = (a: ReadonlySet<string> | undefined, b: ReadonlySet<string>) => new Set([...(a ?? []), ...b]);
  const sumCounts = (a: ReadonlyMap<string, number> | undefined, b: ReadonlyMap<string, number>) => {
    const sum = new Map(a ?? []);
    for (const [key, n] of b) sum.set(key, (sum.get(key) ?? 0) + n);
    return sum;
  };
  return {
    ...first,
    notedAccounts: union(first.notedAccounts, second.tally.notedAccounts),
    draftedRecipients: union(first.draftedRecipients, second.tally.draftedRecipients),
    uncertainAccounts: union(first.uncertainAccounts, second.tally.uncertainAccounts),
    uncertainRecipients: union(first.uncertainRecipients, second.tally.uncertainRecipients),
    sentRecipients: union(first.sentRecipients, second.tally.sentRecipients),
    uncertainSends: union(first.uncertainSends, second.tally.uncertainSends),
    lostLookups: sumCounts(first.lostLookups, second.tally.lostLookups),
  };
}
