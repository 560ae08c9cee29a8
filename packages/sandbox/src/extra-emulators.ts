import type { EmulatorOptions } from "./http/emulator-options.js";
import type { EmulatorDefinition } from "./http/emulator-server.js";
import type { VendorName } from "./vendors.js";

/** Options of the Snowflake and Gmail emulators. */
export type ExtraOptions = {};

/** The Snowflake and Gmail emulators (filled in as they land). */
export interface EmulatorExtras {
  definitions: Partial<Record<VendorName, EmulatorDefinition>>;
  close(): Promise<void>;
}

/** Builds the emulators beyond HubSpot and PDL that are wanted. */
export async function createEmulatorExtras(
  _wanted: Set<VendorName>,
  _base: (vendor: VendorName) => EmulatorOptions,
  _options: ExtraOptions,
): Promise<EmulatorExtras> {
  return { definitions: {}, close: async () => {} };
}
