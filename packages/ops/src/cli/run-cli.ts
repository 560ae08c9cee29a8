import { parseArgs } from "node:util";
import { type IdempotencyStore, openStore } from "@gtm-mcp/tool-kit/idempotency";
import { callsReport } from "../commands/calls-report.js";
import { capsShow } from "../commands/caps-show.js";
import { keysShow } from "../commands/keys-show.js";
import { reviewList, reviewResolve, reviewShow } from "../commands/review.js";
import { storeInfo } from "../commands/store-info.js";
import type { CommandContext, CommandResult } from "../commands/types.js";
import { USAGE } from "./usage.js";

/** Where the CLI writes, and what it reads its defaults from (tests pass their own). */
export interface CliIo {
  env: NodeJS.ProcessEnv;
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** What `calls report` reads without a file (default: the process's stdin). */
  stdin?: NodeJS.ReadableStream;
  /** Ends `calls report --follow` (the CLI aborts it on SIGINT). */
  signal?: AbortSignal;
}

const ENVS = new Set(["sandbox", "staging", "production"]);

/** A usage mistake: printed as one line with a pointer to `--help`, exit 2. */
class UsageError extends Error {}

/**
 * Runs one `gtm-mcp` command and resolves to its exit code: 0 done, 1 not found or refused,
 * 2 bad usage or configuration (one line on stderr, never a stack trace or a URL's password).
 */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(argv);
  } catch (error) {
    io.stderr(`gtm-mcp: ${(error as Error).message}; see gtm-mcp --help\n`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help || positionals.length === 0) {
    io.stdout(USAGE);
    return positionals.length === 0 && !values.help ? 2 : 0;
  }
  // The call-log report reads a file or stdin, not the store.
  if (positionals[0] === "calls") return runCallsReport(positionals, values, io);
  let command: (ctx: CommandContext) => Promise<CommandResult>;
  const server = values.server ?? io.env.GTM_SERVER ?? "crm";
  const env = values.env ?? io.env.GTM_ENV ?? "sandbox";
  try {
    if (!ENVS.has(env))
      throw new UsageError(`--env must be sandbox, staging or production, not ${JSON.stringify(env)}`);
    command = pickCommand(positionals, values);
  } catch (error) {
    io.stderr(`gtm-mcp: ${(error as Error).message}; see gtm-mcp --help\n`);
    return 2;
  }
  let store: IdempotencyStore;
  try {
    store = await openStore({ server, env, url: io.env.GTM_STATE_URL });
  } catch (error) {
    io.stderr(`gtm-mcp: cannot open the store: ${(error as Error).message}\n`);
    return 2;
  }
  try {
    const result = await command({ store, server, env, stateUrl: io.env.GTM_STATE_URL });
    io.stdout(values.json ? `${JSON.stringify(result.json, null, 2)}\n` : result.text);
    if (result.problem !== undefined) io.stderr(`gtm-mcp: ${result.problem}\n`);
    return result.exitCode ?? 0;
  } catch (error) {
    io.stderr(`gtm-mcp: ${(error as Error).message}\n`);
    return 1;
  } finally {
    await store.close().catch(() => undefined);
  }
}

function parse(argv: readonly string[]) {
  return parseArgs({
    args: [...argv],
    allowPositionals: true,
    strict: true,
    options: {
      server: { type: "string" },
      env: { type: "string" },
      json: { type: "boolean", default: false },
      help: { type: "boolean", short: "h", default: false },
      status: { type: "string" },
      limit: { type: "string" },
      by: { type: "string" },
      reason: { type: "string" },
      run: { type: "string" },
      cap: { type: "string", multiple: true },
      follow: { type: "boolean", short: "f", default: false },
      interval: { type: "string" },
    },
  });
}

type Values = ReturnType<typeof parse>["values"];

/** `calls report [FILE|-] [--follow] [--interval SECONDS] [--json]`. */
async function runCallsReport(positionals: string[], values: Values, io: CliIo): Promise<number> {
  const [, verb, file, ...extra] = positionals;
  const interval = values.interval === undefined ? 10 : Number(values.interval);
  let problem: string | undefined;
  if (verb !== "report" || extra.length > 0)
    problem = `unknown command ${JSON.stringify(positionals.join(" "))}`;
  else if (!Number.isFinite(interval) || interval <= 0 || interval > 3600)
    problem = "--interval must be a positive number of seconds, at most 3600";
  if (problem !== undefined) {
    io.stderr(`gtm-mcp: ${problem}; see gtm-mcp --help\n`);
    return 2;
  }
  try {
    await callsReport(
      {
        ...(file === undefined ? {} : { file }),
        follow: values.follow,
        json: values.json,
        intervalMs: interval * 1000,
      },
      {
        stdin: io.stdin ?? process.stdin,
        stdout: io.stdout,
        ...(io.signal ? { signal: io.signal } : {}),
      },
    );
    return 0;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    io.stderr(
      `gtm-mcp: cannot read ${file}: ${code === "ENOENT" ? "no such file" : (error as Error).message}\n`,
    );
    return 1;
  }
}

function pickCommand(positionals: string[], values: Values): (ctx: CommandContext) => Promise<CommandResult> {
  const [noun, verb, arg, ...extra] = positionals;
  const one = (what: string) => {
    if (arg === undefined || extra.length > 0)
      throw new UsageError(`${noun} ${verb} takes exactly one ${what}`);
    return arg;
  };
  const none = () => {
    if (arg !== undefined)
      throw new UsageError(`${noun} ${verb} takes no argument (got ${JSON.stringify(arg)})`);
  };
  switch (`${noun} ${verb}`) {
    case "review list": {
      none();
      const status = values.status ?? "open";
      if (status !== "open" && status !== "resolved" && status !== "all")
        throw new UsageError(`--status must be open, resolved or all, not ${JSON.stringify(status)}`);
      const limit = values.limit === undefined ? 50 : Number(values.limit);
      if (!Number.isInteger(limit) || limit < 1 || limit > 1000)
        throw new UsageError("--limit must be a whole number from 1 to 1000");
      return (ctx) => reviewList(ctx, { status, limit });
    }
    case "review show": {
      const id = one("review id");
      return (ctx) => reviewShow(ctx, id);
    }
    case "review resolve": {
      const id = one("review id");
      const by = values.by?.trim();
      const reason = values.reason?.trim();
      if (!by || !reason) throw new UsageError("review resolve needs --by <who> and --reason <why>");
      return (ctx) => reviewResolve(ctx, id, { by, reason });
    }
    case "keys show": {
      const key = one("key");
      return (ctx) => keysShow(ctx, key);
    }
    case "caps show": {
      none();
      const run = values.run?.trim();
      if (!run) throw new UsageError("caps show needs --run <run-id>");
      return (ctx) => capsShow(ctx, run, values.cap);
    }
    case "store info":
      none();
      return (ctx) => storeInfo(ctx);
    default:
      throw new UsageError(`unknown command ${JSON.stringify(positionals.join(" "))}`);
  }
}
