import { parseArgs } from "node:util";

/** The book run's options (`--help` lists them). */
export interface DemoOptions {
  accounts: number;
  workers: number;
  redis: string | null;
  seed: string;
  chaos: boolean;
  realLimits: boolean;
  /** No rate limits at all in the emulators (`--no-limits`). */
  noLimits: boolean;
  /** A fixed latency added to every vendor request, in ms (0: none). */
  latencyMs: number;
  /** The emulators in this process instead of one of their own (`--inline-emulators`). */
  inlineEmulators: boolean;
  /** Where each server writes its CPU profile (`--cpu-prof DIR`), or null. */
  cpuProfDir: string | null;
  reportJson: string | null;
  reportHtml: string | null;
  /** The occurrence of every write (default: today, UTC). */
  runDate: string;
  help: boolean;
}

/** The text of `--help`. */
export const HELP = `Usage: pnpm demo [options]   (or: gtm-mcp-book-run [options])

Runs the nightly book workflow over the sandbox book through the four built servers
(crm, enrichment, warehouse, email), each spawned over stdio with a real MCP client, then
checks from the emulators' state that every write happened exactly once.

Options:
  --accounts N         accounts in the book (default 4000)
  --workers N          accounts worked in parallel (default 8)
  --redis URL          the servers' shared store on Redis (default: an embedded SQLite file in a
                       fresh temporary folder); use a fresh Redis database: keys are per occurrence
  --seed S             book seed, also seeds the chaos (default: the sandbox's fixed seed)
  --chaos              faults in every emulator (429s, 5xx bursts, an enrichment outage, notes,
                       drafts and sends committed then dropped), servers SIGKILLed and restarted
                       mid-run with a write in flight; then the same book again, which must
                       replay every write and write nothing new
  --real-limits        the vendors' published rate limits (default: scaled up for a quick run)
  --no-limits          no rate limits at all: no emulator answers a 429 of its own
  --latency-ms N       a fixed N ms added to every vendor request of every emulator (default 0);
                       with --no-limits the run is bound by latency, not by quotas
                       (pnpm bench's book-run section: --latency-ms 5 --no-limits --workers 16)
  --inline-emulators   run the emulators in this process (default: a process of their own, so
                       they do not share an event loop with the four MCP clients)
  --cpu-prof DIR       each server writes a V8 CPU profile into DIR when it exits (for this
                       process too, run it as node --cpu-prof packages/book-run/dist/cli/main.js)
  --report-json PATH   write the report as JSON
  --report-html PATH   write the report as a self-contained HTML page (inline SVG charts)
  --run-date YYYY-MM-DD  the occurrence of every write (default: today, UTC)
  -h, --help           this text

The report goes to stdout, the live view to stderr. Exit 1 when the exactly-once check fails,
2 on a bad option or a server or emulator that does not start.`;

/** Thrown for a bad option: the message is one line for the user. */
export class OptionError extends Error {}

const positive = (name: string, raw: string | undefined, fallback: number): number => {
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1)
    throw new OptionError(`--${name} must be a whole number ≥ 1, got ${raw}`);
  return n;
};

/**
 * Parses the command line. `defaultSeed` is the sandbox's fixed seed; `today` the run date
 * when none is given.
 */
export function parseDemoOptions(argv: string[], defaultSeed: string, today: string): DemoOptions {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        accounts: { type: "string" },
        workers: { type: "string" },
        redis: { type: "string" },
        seed: { type: "string" },
        chaos: { type: "boolean" },
        "real-limits": { type: "boolean" },
        "no-limits": { type: "boolean" },
        "latency-ms": { type: "string" },
        "cpu-prof": { type: "string" },
        "inline-emulators": { type: "boolean" },
        "report-json": { type: "string" },
        "report-html": { type: "string" },
        "run-date": { type: "string" },
        help: { type: "boolean", short: "h" },
      },
    }));
  } catch (error) {
    throw new OptionError((error as Error).message.split("\n")[0] ?? "bad option");
  }
  const str = (k: string) => (typeof values[k] === "string" ? (values[k] as string) : undefined);
  const redis = str("redis") ?? null;
  if (redis !== null && !/^rediss?:\/\//.test(redis))
    throw new OptionError(`--redis must be a redis:// or rediss:// URL, got ${redis}`);
  const noLimits = values["no-limits"] === true;
  if (noLimits && values["real-limits"] === true)
    throw new OptionError("--no-limits and --real-limits cannot be combined");
  const latencyRaw = str("latency-ms");
  const latencyMs = latencyRaw === undefined ? 0 : Number(latencyRaw);
  if (!Number.isInteger(latencyMs) || latencyMs < 0 || latencyMs > 60_000)
    throw new OptionError(`--latency-ms must be a whole number of ms from 0 to 60000, got ${latencyRaw}`);
  const runDate = str("run-date") ?? today;
  if (!/^\d{4}-\d{2}-\d{2}$/.test(runDate) || Number.isNaN(Date.parse(runDate)))
    throw new OptionError(`--run-date must be a date YYYY-MM-DD, got ${runDate}`);
  return {
    accounts: positive("accounts", str("accounts"), 4000),
    workers: positive("workers", str("workers"), 8),
    redis,
    seed: str("seed") ?? defaultSeed,
    chaos: values.chaos === true,
    realLimits: values["real-limits"] === true,
    noLimits,
    latencyMs,
    cpuProfDir: str("cpu-prof") ?? null,
    inlineEmulators: values["inline-emulators"] === true,
    reportJson: str("report-json") ?? null,
    reportHtml: str("report-html") ?? null,
    runDate,
    help: values.help === true,
  };
}
