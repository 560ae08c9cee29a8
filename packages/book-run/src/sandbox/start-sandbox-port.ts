import {
  type AdminClient,
  type Book,
  type FaultConfig,
  type GmailAdminState,
  type HubSpotAdminState,
  type PdlAdminState,
  type Sandbox,
  startSandbox,
  VENDORS,
  type VendorName,
} from "@gtm-mcp/sandbox";
import type { EmulatorState } from "../check/emulator-state.js";
import type { DemoOptions } from "../demo/demo-options.js";
import type { EmulatorRequestCounts, SandboxPort } from "../demo/ports.js";
import type { BookEntry } from "../run/book-entry.js";

/** The faults `--chaos` turns on, per emulator (rates per request). */
export const CHAOS_FAULTS: Record<VendorName, FaultConfig> = {
  hubspot: {
    rateLimitRate: 0.03,
    errorBursts: { rate: 0.004, length: 3 },
    commitThenDrop: { rate: 0.05, operations: ["notes.create"] },
  },
  pdl: { rateLimitRate: 0.03, errorBursts: { rate: 0.004, length: 3 } },
  snowflake: { rateLimitRate: 0.02, errorBursts: { rate: 0.004, length: 3 } },
  gmail: {
    rateLimitRate: 0.03,
    errorBursts: { rate: 0.004, length: 3 },
    commitThenDrop: { rate: 0.05, operations: ["drafts.create", "drafts.send"] },
  },
};

/** The book as the run works it: the CRM id, the domain, the first contact, the warehouse id. */
export function bookEntries(book: Book): BookEntry[] {
  const firstContact = new Map<string, string>();
  for (const c of book.contacts) if (!firstContact.has(c.accountId)) firstContact.set(c.accountId, c.email);
  return book.accounts.map((a) => ({
    accountId: a.companyId,
    domain: a.domain,
    contactEmail: firstContact.get(a.accountId) ?? null,
    warehouseId: a.accountId,
  }));
}

/** `--latency-ms`: every emulator holds each vendor request that long, chaos or not. */
export function latencyFaults(options: DemoOptions): FaultConfig {
  return options.latencyMs > 0 ? { latency: { fixedMs: options.latencyMs } } : {};
}

/**
 * Starts the four emulators in this process on free ports (a `pnpm sandbox` someone left
 * running on the documented ones is not disturbed) over the seeded book, and reads their state
 * through the admin API, never through the servers. (The command line runs them in a process
 * of their own: {@link startSandboxProcess}.)
 */
export async function startSandboxPort(options: DemoOptions): Promise<SandboxPort> {
  const latency = latencyFaults(options);
  const sandbox: Sandbox = await startSandbox({
    seed: options.seed,
    accounts: options.accounts,
    realLimits: options.realLimits,
    noLimits: options.noLimits,
    ports: Object.fromEntries(VENDORS.map((v) => [v, 0])),
    faults: Object.fromEntries(VENDORS.map((v) => [v, latency])),
  });
  return sandboxPort({
    book: sandbox.book,
    serverEnv: sandbox.env,
    admin: sandbox.admin,
    latency,
    stop: () => sandbox.stop(),
  });
}

/** The port over running emulators, whichever process holds them. */
export function sandboxPort(parts: {
  book: Book;
  serverEnv: Record<string, string>;
  admin: AdminClient;
  latency: FaultConfig;
  stop: () => Promise<void>;
  cpuMs?: () => number | null;
}): SandboxPort {
  const { admin, latency } = parts;
  return {
    book: bookEntries(parts.book),
    serverEnv: parts.serverEnv,
    async state(): Promise<EmulatorState> {
      const [hubspot, pdl, gmail, faults] = await Promise.all([
        admin.state<HubSpotAdminState>("hubspot"),
        admin.state<PdlAdminState>("pdl"),
        admin.state<GmailAdminState>("gmail"),
        admin.injectedTotals(),
      ]);
      return {
        notes: hubspot.notes.map((n) => ({
          companyIds: [...n.companyIds],
          contactIds: [...n.contactIds],
          body: n.body,
        })),
        drafts: gmail.drafts.map((d) => ({ to: d.to, subject: d.subject })),
        sends: gmail.sends.map((m) => ({ to: m.to, draftId: m.draftId })),
        enrichmentCredits: { ...pdl.creditsByDomain },
        faults: { ...faults },
      };
    },
    async startChaos() {
      for (const vendor of VENDORS) await admin.setFaults(vendor, { ...CHAOS_FAULTS[vendor], ...latency });
    },
    async enrichmentOutage(forMs) {
      await admin.setFaults("pdl", { ...CHAOS_FAULTS.pdl, ...latency, outage: true, outageForMs: forMs });
    },
    async faultsInjected() {
      return { ...(await admin.injectedTotals()) };
    },
    async requests(): Promise<EmulatorRequestCounts> {
      const [served, gmail] = await Promise.all([admin.requests(), admin.state<GmailAdminState>("gmail")]);
      const byVendor = Object.fromEntries(
        Object.entries(served).map(([vendor, r]) => [vendor, { ...(r?.byOperation ?? {}) }]),
      );
      const total = Object.values(served).reduce((sum, r) => sum + (r?.total ?? 0), 0);
      return { total, byVendor, messagesListSizes: { ...gmail.messagesListSizes } };
    },
    ...(parts.cpuMs ? { cpuMs: parts.cpuMs } : {}),
    stop: parts.stop,
  };
}
