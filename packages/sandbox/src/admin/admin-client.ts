import type { FaultConfig, FaultCounts } from "../faults/fault-config.js";
import { ADMIN_PREFIX } from "../http/emulator-server.js";
import type { VendorName } from "../vendors.js";

/** The admin API of running emulators, over HTTP (another process may hold them). */
export interface AdminClient {
  /** `GET /_sandbox/state` of one emulator. */
  state<T = unknown>(vendor: VendorName): Promise<T>;
  /** Faults in force and injected so far, per vendor. */
  faults(): Promise<Partial<Record<VendorName, { config: FaultConfig; injected: FaultCounts }>>>;
  /** Replaces one emulator's faults (an empty config clears them). */
  setFaults(vendor: VendorName, config: FaultConfig): Promise<void>;
  /** Faults injected so far by kind, summed over every emulator. */
  injectedTotals(): Promise<FaultCounts>;
  /** Vendor requests served so far by operation, per emulator (`GET /_sandbox/requests`). */
  requests(): Promise<Partial<Record<VendorName, EmulatorRequests>>>;
}

/** What `GET /_sandbox/requests` answers. */
export interface EmulatorRequests {
  /** Vendor requests that matched a route (admin requests are not counted). */
  total: number;
  byOperation: Record<string, number>;
  /** False when the emulator runs without rate limits. */
  limits: boolean;
}

/**
 * An admin client for emulators at `urls` (each emulator's own base URL: `http://host:port`).
 *
 * @throws Error when an emulator answers anything but 200.
 */
export function createAdminClient(urls: Partial<Record<VendorName, string>>): AdminClient {
  const call = async (vendor: VendorName, method: string, path: string, body?: unknown) => {
    const base = urls[vendor];
    if (!base) throw new Error(`no ${vendor} emulator is known to this admin client`);
    const response = await fetch(`${base}${ADMIN_PREFIX}${path}`, {
      method,
      ...(body !== undefined
        ? { body: JSON.stringify(body), headers: { "content-type": "application/json" } }
        : {}),
    });
    const text = await response.text();
    if (response.status !== 200)
      throw new Error(`${vendor} admin ${method} ${path} answered ${response.status}: ${text}`);
    return JSON.parse(text) as unknown;
  };
  const vendors = Object.keys(urls) as VendorName[];
  const faults = async () => {
    const entries = await Promise.all(
      vendors.map(async (v) => [v, await call(v, "GET", "/faults")] as const),
    );
    return Object.fromEntries(entries) as Awaited<ReturnType<AdminClient["faults"]>>;
  };
  return {
    state: async <T>(vendor: VendorName) => (await call(vendor, "GET", "/state")) as T,
    faults,
    async setFaults(vendor, config) {
      await call(vendor, "PUT", "/faults", config);
    },
    async injectedTotals() {
      const totals: FaultCounts = {
        latency: 0,
        rate_limit: 0,
        server_error: 0,
        outage: 0,
        commit_then_drop: 0,
      };
      for (const entry of Object.values(await faults())) {
        for (const [kind, n] of Object.entries(entry?.injected ?? {})) totals[kind as keyof FaultCounts] += n;
      }
      return totals;
    },
    async requests() {
      const entries = await Promise.all(
        vendors.map(async (v) => [v, (await call(v, "GET", "/requests")) as EmulatorRequests] as const),
      );
      return Object.fromEntries(entries) as Partial<Record<VendorName, EmulatorRequests>>;
    },
  };
}
