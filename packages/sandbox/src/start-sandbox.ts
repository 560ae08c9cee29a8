import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type AdminClient, createAdminClient } from "./admin/admin-client.js";
import { generateBook } from "./book/generate-book.js";
import type { Book } from "./book/types.js";
import { createEmulatorExtras, type EmulatorExtras, type ExtraOptions } from "./extra-emulators.js";
import type { FaultConfig } from "./faults/fault-config.js";
import type { EmulatorOptions } from "./http/emulator-options.js";
import { type EmulatorDefinition, type RunningEmulator, serveEmulator } from "./http/emulator-server.js";
import { createHubSpotEmulator, type HubSpotEmulator } from "./hubspot/hubspot-emulator.js";
import { DEFAULT_LIMIT_SCALE } from "./limits/rate-policy.js";
import { createPdlEmulator, type PdlEmulator } from "./pdl/pdl-emulator.js";
import { type SandboxUrls, sandboxEnv, vendorUrls } from "./sandbox-env.js";
import { DEFAULT_PORTS, SANDBOX_CREDENTIALS, VENDORS, type VendorName } from "./vendors.js";

/** Options of {@link startSandbox}. */
export interface SandboxOptions extends ExtraOptions {
  /** Book seed (default `DEFAULT_SEED`); ignored when `book` is given. */
  seed?: string;
  /** Accounts in the book (default 4,000). */
  accounts?: number;
  /** A book already generated (shared with the caller). */
  book?: Book;
  /** Which emulators to start (default all four). */
  vendors?: readonly VendorName[];
  /** Listen address (default 127.0.0.1). */
  host?: string;
  /** Ports per vendor (default 4010/4020/4030/4040; 0 picks a free port). */
  ports?: Partial<Record<VendorName, number>>;
  /** Use the vendors' published rate limits (default: scaled by {@link DEFAULT_LIMIT_SCALE}). */
  realLimits?: boolean;
  /** Explicit scale of the published limits (overrides `realLimits`); `Infinity` is {@link noLimits}. */
  limitScale?: number;
  /**
   * No rate limits at all: no emulator answers a 429 of its own (injected `rateLimitRate`
   * faults still do) and none counts quota. Overrides `limitScale` and `realLimits`.
   */
  noLimits?: boolean;
  /** Faults per vendor from the start. */
  faults?: Partial<Record<VendorName, FaultConfig>>;
  /** The book's "now" (default: when the sandbox starts). */
  anchorMs?: number;
  /** Clock of rate limits, outages and timestamps. */
  now?: () => number;
  /** People Data Labs credits of the key (default 100,000). */
  pdlCredits?: number;
  /**
   * Where to write the book's suppression list (one address a line) for the email server's
   * `EMAIL_SUPPRESSION_FILE`; default a temporary file removed on stop. Only with Gmail.
   */
  suppressionFile?: string;
}

/** Running emulators and everything a client needs to reach them. */
export interface Sandbox {
  book: Book;
  /** Base URLs as the servers take them (`GMAIL_BASE_URL` includes `/gmail/v1/users/me`). */
  urls: SandboxUrls;
  /** Each running emulator's own origin (`http://127.0.0.1:port`), where its admin API lives. */
  origins: Partial<Record<VendorName, string>>;
  /** Environment of the four servers pointed at these emulators (GTM_ENV=sandbox, URLs, fake credentials). */
  env: Record<string, string>;
  credentials: typeof SANDBOX_CREDENTIALS;
  /** The published limits times this; `Infinity` when {@link noLimits}. */
  limitScale: number;
  /** No rate limits at all. */
  noLimits: boolean;
  admin: AdminClient;
  /** In-process access to the emulators' state (what the admin API serves). */
  hubspot?: HubSpotEmulator;
  pdl?: PdlEmulator;
  extras: EmulatorExtras;
  /** Stops every emulator; resolves when their sockets are closed. */
  stop(): Promise<void>;
}

/**
 * Starts the emulators on localhost over one generated book. On a port already in use the
 * start fails (EADDRINUSE) after stopping whatever had started.
 */
export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const book =
    options.book ??
    generateBook({
      ...(options.seed ? { seed: options.seed } : {}),
      ...(options.accounts ? { accounts: options.accounts } : {}),
    });
  const noLimits = options.noLimits === true || options.limitScale === Number.POSITIVE_INFINITY;
  const limitScale = noLimits
    ? Number.POSITIVE_INFINITY
    : (options.limitScale ?? (options.realLimits ? 1 : DEFAULT_LIMIT_SCALE));
  if (!(limitScale > 0)) throw new Error(`limitScale must be a positive number, got ${limitScale}`);
  const wanted = new Set(options.vendors ?? VENDORS);
  const base = (vendor: VendorName): EmulatorOptions => ({
    book,
    anchorMs: options.anchorMs ?? (options.now ?? Date.now)(),
    limitScale,
    ...(options.faults?.[vendor] ? { faults: options.faults[vendor] } : {}),
    ...(options.now ? { now: options.now } : {}),
  });
  const running: RunningEmulator[] = [];
  const suppression = wanted.has("gmail") ? writeSuppressionFile(book, options.suppressionFile) : undefined;
  const stop = async () => {
    await Promise.all(running.map((r) => r.close()));
    await extras.close();
    suppression?.remove();
  };
  const definitions: Partial<Record<VendorName, EmulatorDefinition>> = {};
  const hubspot = wanted.has("hubspot") ? createHubSpotEmulator(base("hubspot")) : undefined;
  const pdl = wanted.has("pdl")
    ? createPdlEmulator({
        ...base("pdl"),
        ...(options.pdlCredits !== undefined ? { credits: options.pdlCredits } : {}),
      })
    : undefined;
  if (hubspot) definitions.hubspot = hubspot.definition;
  if (pdl) definitions.pdl = pdl.definition;
  const extras = await createEmulatorExtras(wanted, base, options);
  Object.assign(definitions, extras.definitions);
  const origins: Partial<Record<VendorName, string>> = {};
  try {
    for (const vendor of VENDORS) {
      const definition = definitions[vendor];
      if (!definition) continue;
      const emulator = await serveEmulator(definition, {
        host: options.host ?? "127.0.0.1",
        port: options.ports?.[vendor] ?? DEFAULT_PORTS[vendor],
        limits: !noLimits,
      });
      running.push(emulator);
      origins[vendor] = emulator.url;
    }
  } catch (error) {
    await stop();
    throw error;
  }
  const urls = vendorUrls(origins);
  return {
    book,
    urls,
    origins,
    env: { ...sandboxEnv(urls, book), ...(suppression ? { EMAIL_SUPPRESSION_FILE: suppression.path } : {}) },
    credentials: SANDBOX_CREDENTIALS,
    limitScale,
    noLimits,
    admin: createAdminClient(origins),
    ...(hubspot ? { hubspot } : {}),
    ...(pdl ? { pdl } : {}),
    extras,
    stop,
  };
}

function writeSuppressionFile(book: Book, path: string | undefined): { path: string; remove(): void } {
  const dir = path === undefined ? mkdtempSync(join(tmpdir(), "gtm-sandbox-suppression-")) : undefined;
  const file = path ?? join(dir!, "suppression.txt");
  writeFileSync(file, `${book.suppression.join("\n")}\n`);
  return { path: file, remove: () => dir && rmSync(dir, { recursive: true, force: true }) };
}
