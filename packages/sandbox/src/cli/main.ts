#!/usr/bin/env node
import { fileURLToPath } from "node:url";
import { bookHash } from "../book/book-hash.js";
import { startSandbox } from "../start-sandbox.js";
import { parseCli, USAGE } from "./parse-args.js";
import { claudeMcpAddLines } from "./registration.js";

// `pnpm sandbox`: the four emulators in the foreground until Ctrl-C. Human output by
// default; `--json` prints exactly one JSON object on stdout once every emulator listens.

let options: ReturnType<typeof parseCli>;
try {
  options = parseCli(process.argv.slice(2));
} catch (error) {
  console.error(`gtm-sandbox: ${error instanceof Error ? error.message : String(error)} (see --help)`);
  process.exit(2);
}
if (options.help) {
  console.log(USAGE);
  process.exit(0);
}

const repoRoot = fileURLToPath(new URL("../../../../", import.meta.url)).replace(/\/$/, "");
let sandbox: Awaited<ReturnType<typeof startSandbox>>;
try {
  sandbox = await startSandbox({
    ...(options.seed !== undefined ? { seed: options.seed } : {}),
    ...(options.accounts !== undefined ? { accounts: options.accounts } : {}),
    realLimits: options.realLimits,
    ...(options.limitScale !== undefined ? { limitScale: options.limitScale } : {}),
    noLimits: options.noLimits,
    host: options.host,
    ports: options.ports,
    faults: options.faults,
    // No suppressionFile: each instance writes its book's list into a temporary folder of its
    // own, removed on stop. A path keyed by the seed was shared by every sandbox of that seed
    // on the machine, so a second one (another book size) rewrote the list under the first.
  });
} catch (error) {
  const code = (error as NodeJS.ErrnoException).code;
  const detail =
    code === "EADDRINUSE"
      ? `a port is in use (${(error as Error).message}); pick others with --<vendor>-port`
      : String(error);
  console.error(`gtm-sandbox: could not start: ${detail}`);
  process.exit(1);
}

const hash = bookHash(sandbox.book);
if (options.json) {
  console.log(
    JSON.stringify({
      urls: sandbox.urls,
      admin: sandbox.origins,
      credentials: sandbox.credentials,
      env: sandbox.env,
      book: { seed: sandbox.book.seed, accounts: sandbox.book.accounts.length, hash },
      // JSON has no Infinity: without limits the scale is null and noLimits says why.
      limitScale: sandbox.noLimits ? null : sandbox.limitScale,
      noLimits: sandbox.noLimits,
    }),
  );
} else {
  const u = sandbox.urls;
  console.log(
    `gtm-sandbox: book seed ${sandbox.book.seed}, ${sandbox.book.accounts.length} accounts, sha256 ${hash}`,
  );
  console.log(sandbox.noLimits ? "rate limits: none" : `rate limits: published x${sandbox.limitScale}`);
  console.log("");
  console.log(`  HubSpot            HUBSPOT_BASE_URL=${u.hubspot}`);
  console.log(`  People Data Labs   PDL_BASE_URL=${u.pdl}`);
  console.log(`  Snowflake SQL API  SNOWFLAKE_BASE_URL=${u.snowflake}`);
  console.log(`  Gmail              GMAIL_BASE_URL=${u.gmail}`);
  console.log(`  Google OAuth token GMAIL_TOKEN_URL=${u.gmailToken}`);
  console.log("");
  console.log("Register the servers with Claude Code (after `pnpm build`):");
  for (const line of claudeMcpAddLines(sandbox, repoRoot)) console.log(`  ${line}`);
  console.log("");
  console.log("Admin API: GET <emulator>/_sandbox/state, GET|PUT /_sandbox/faults. Ctrl-C stops.");
}

let stopping = false;
const stop = async (signal: string) => {
  if (stopping) return;
  stopping = true;
  await sandbox.stop();
  if (!options.json) console.error(`gtm-sandbox: stopped (${signal})`);
  process.exit(0);
};
process.on("SIGINT", () => void stop("SIGINT"));
process.on("SIGTERM", () => void stop("SIGTERM"));
