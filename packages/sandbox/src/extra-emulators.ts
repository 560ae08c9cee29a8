import { createGmailEmulator, type GmailEmulator } from "./gmail/gmail-emulator.js";
import type { EmulatorOptions } from "./http/emulator-options.js";
import type { EmulatorDefinition } from "./http/emulator-server.js";
import { createSnowflakeEmulator, type SnowflakeEmulator } from "./snowflake/snowflake-emulator.js";
import type { StatementSettings } from "./snowflake/statements.js";
import type { VendorName } from "./vendors.js";

/** Options of the Snowflake and Gmail emulators. */
export interface ExtraOptions {
  /** Snowflake statement behaviour: `syncWaitMs` before a 202 (default 45,000), `partitionRows` (10,000), `executionDelayMs` (0). */
  snowflake?: Partial<StatementSettings>;
  /** Gmail: access-token lifetime (default 3,599 s) and the scopes the refresh token grants. */
  gmail?: { tokenTtlSeconds?: number; scope?: string };
}

/** The Snowflake and Gmail emulators that were started. */
export interface EmulatorExtras {
  definitions: Partial<Record<VendorName, EmulatorDefinition>>;
  snowflake?: SnowflakeEmulator;
  gmail?: GmailEmulator;
  close(): Promise<void>;
}

/** Builds the Snowflake and Gmail emulators that are wanted. */
export async function createEmulatorExtras(
  wanted: Set<VendorName>,
  base: (vendor: VendorName) => EmulatorOptions,
  options: ExtraOptions,
): Promise<EmulatorExtras> {
  const snowflake = wanted.has("snowflake")
    ? await createSnowflakeEmulator({
        ...base("snowflake"),
        ...(options.snowflake ? { statements: options.snowflake } : {}),
      })
    : undefined;
  const gmail = wanted.has("gmail") ? createGmailEmulator({ ...base("gmail"), ...options.gmail }) : undefined;
  return {
    definitions: {
      ...(snowflake ? { snowflake: snowflake.definition } : {}),
      ...(gmail ? { gmail: gmail.definition } : {}),
    },
    ...(snowflake ? { snowflake } : {}),
    ...(gmail ? { gmail } : {}),
    async close() {
      await snowflake?.close();
    },
  };
}
