import { COMMON_VARS } from "./common-vars.js";
import { ConfigError } from "./config-error.js";
import type { VarSpec, VarSpecs } from "./var-spec.js";

/** What the command line asked for. */
export interface CliOptions {
  help: boolean;
  version: boolean;
  /** Serve Streamable HTTP (`GTM_HTTP_*`) instead of stdio. */
  http: boolean;
}

/**
 * Parses a server's flags: `--help`, `--version`, `--http`. Configuration is by environment
 * only, so any other argument is an error.
 *
 * @throws ConfigError for an unknown flag.
 */
export function parseCli(argv: readonly string[]): CliOptions {
  const options: CliOptions = { help: false, version: false, http: false };
  for (const arg of argv) {
    if (arg === "--help" || arg === "-h") options.help = true;
    else if (arg === "--version" || arg === "-v") options.version = true;
    else if (arg === "--http") options.http = true;
    else
      throw new ConfigError(
        "(command line)",
        `unknown argument ${JSON.stringify(arg)}; expected --help, --version or --http`,
      );
  }
  return options;
}

/** Describes a server for `--help`. */
export interface HelpSubject {
  binary: string;
  description: string;
  vars: VarSpecs;
}

/** The `--help` text: usage, then every variable with its default and whether it is secret. */
export function renderHelp(subject: HelpSubject): string {
  const lines = [
    `${subject.binary}: ${subject.description}`,
    "",
    `Usage: ${subject.binary} [--help] [--version] [--http]`,
    "  Serves MCP over stdio, or over Streamable HTTP at /mcp with --http (bearer tokens,",
    "  /healthz, /metrics). Configured by environment variables:",
    "",
  ];
  const rows = [...Object.entries(COMMON_VARS), ...Object.entries(subject.vars)].map(([name, spec]) =>
    describe(name, spec as VarSpec<unknown>),
  );
  const width = Math.max(...rows.map((r) => r.name.length));
  for (const row of rows) {
    lines.push(`  ${row.name.padEnd(width)}  ${row.description}`);
    lines.push(`  ${"".padEnd(width)}  default: ${row.default}${row.required}${row.secret}`);
  }
  lines.push(
    "",
    "Secrets may also be given as <NAME>_FILE (re-read on SIGHUP). Logs are JSON lines on stderr.",
  );
  return `${lines.join("\n")}\n`;
}

function describe(name: string, spec: VarSpec<unknown>) {
  const dflt = spec.defaultText ?? (typeof spec.default === "string" ? spec.default : "(none)");
  return {
    name: spec.secret ? `${name} | ${name}_FILE` : name,
    description: spec.description,
    default: dflt,
    required: spec.requiredIn?.length ? `; required in ${spec.requiredIn.join(", ")}` : "",
    secret: spec.secret ? "; secret" : "",
  };
}
