import { parseArgs } from "node:util";
import { type FaultConfig, faultConfigSchema } from "../faults/fault-config.js";
import { DEFAULT_PORTS, VENDORS, type VendorName } from "../vendors.js";

/** What `gtm-sandbox` was asked to do. */
export interface CliOptions {
  help: boolean;
  json: boolean;
  seed?: string;
  accounts?: number;
  realLimits: boolean;
  limitScale?: number;
  /** No rate limits at all (`--no-limits`). */
  noLimits: boolean;
  host: string;
  ports: Record<VendorName, number>;
  faults: Partial<Record<VendorName, FaultConfig>>;
}

/** The `--help` text. */
export const USAGE = `gtm-sandbox: vendor emulators (HubSpot, People Data Labs, Snowflake SQL API, Gmail) over a seeded book

Usage: pnpm sandbox [options]

  --seed TEXT          book seed (default gtm-sandbox-1); the same seed gives the same book
  --accounts N         accounts in the book (default 4000)
  --real-limits        the vendors' published rate limits (default: 20x faster)
  --limit-scale X      published limits times X
  --no-limits          no rate limits at all: no 429 unless injected by --faults
  --latency-ms N       a fixed N ms added to every vendor request of every emulator
                       (a vendor's own latency in --faults wins)
  --host ADDR          listen address (default 127.0.0.1)
  --hubspot-port N     default ${DEFAULT_PORTS.hubspot} (0: a free port; likewise below)
  --pdl-port N         default ${DEFAULT_PORTS.pdl}
  --snowflake-port N   default ${DEFAULT_PORTS.snowflake}
  --gmail-port N       default ${DEFAULT_PORTS.gmail} (Gmail API and the OAuth token endpoint)
  --faults JSON        faults from the start, per vendor: '{"pdl":{"rateLimitRate":0.1}}'
  --json               print one JSON object (base URLs, credentials, env) once ready
  --help               this text

Admin API on each emulator (not under vendor paths): GET /_sandbox/state, GET|PUT|DELETE /_sandbox/faults.
Ctrl-C stops every emulator.`;

/**
 * Reads argv.
 *
 * @throws Error naming the bad option.
 */
export function parseCli(argv: string[]): CliOptions {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: {
      help: { type: "boolean", default: false },
      json: { type: "boolean", default: false },
      seed: { type: "string" },
      accounts: { type: "string" },
      "real-limits": { type: "boolean", default: false },
      "limit-scale": { type: "string" },
      "no-limits": { type: "boolean", default: false },
      "latency-ms": { type: "string" },
      host: { type: "string", default: "127.0.0.1" },
      "hubspot-port": { type: "string" },
      "pdl-port": { type: "string" },
      "snowflake-port": { type: "string" },
      "gmail-port": { type: "string" },
      faults: { type: "string" },
    },
  });
  const int = (name: string, raw: string | undefined, min: number, max: number) => {
    if (raw === undefined) return undefined;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < min || n > max)
      throw new Error(`--${name} must be an integer from ${min} to ${max}`);
    return n;
  };
  const ports = { ...DEFAULT_PORTS };
  for (const vendor of VENDORS) {
    const port = int(`${vendor}-port`, values[`${vendor}-port`], 0, 65_535);
    if (port !== undefined) ports[vendor] = port;
  }
  const scale = values["limit-scale"] === undefined ? undefined : Number(values["limit-scale"]);
  if (scale !== undefined && !(scale > 0)) throw new Error("--limit-scale must be a positive number");
  const accounts = int("accounts", values.accounts, 1, 1_000_000);
  const noLimits = values["no-limits"] === true;
  if (noLimits && (values["real-limits"] === true || scale !== undefined))
    throw new Error("--no-limits cannot be combined with --real-limits or --limit-scale");
  const latencyMs = int("latency-ms", values["latency-ms"], 0, 600_000);
  const faults = values.faults === undefined ? {} : parseFaults(values.faults);
  if (latencyMs !== undefined && latencyMs > 0)
    for (const vendor of VENDORS) faults[vendor] = { latency: { fixedMs: latencyMs }, ...faults[vendor] };
  return {
    help: values.help === true,
    json: values.json === true,
    ...(values.seed !== undefined ? { seed: values.seed } : {}),
    ...(accounts !== undefined ? { accounts } : {}),
    realLimits: values["real-limits"] === true,
    ...(scale !== undefined ? { limitScale: scale } : {}),
    noLimits,
    host: values.host ?? "127.0.0.1",
    ports,
    faults,
  };
}

function parseFaults(text: string): Partial<Record<VendorName, FaultConfig>> {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new Error('--faults must be JSON, e.g. \'{"pdl":{"rateLimitRate":0.1}}\'');
  }
  const out: Partial<Record<VendorName, FaultConfig>> = {};
  for (const [vendor, config] of Object.entries((raw ?? {}) as Record<string, unknown>)) {
    if (!VENDORS.includes(vendor as VendorName))
      throw new Error(`--faults: unknown vendor ${vendor} (${VENDORS.join(", ")})`);
    const parsed = faultConfigSchema.safeParse(config);
    if (!parsed.success)
      throw new Error(
        `--faults.${vendor}: ${parsed.error.issues.map((i) => `${i.path.join(".")} ${i.message}`).join("; ")}`,
      );
    out[vendor as VendorName] = parsed.data;
  }
  return out;
}
