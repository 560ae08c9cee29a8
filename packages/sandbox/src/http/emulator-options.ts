import type { Book } from "../book/types.js";
import type { FaultConfig } from "../faults/fault-config.js";

/** What every emulator is built from. */
export interface EmulatorOptions {
  book: Book;
  /** "Now" of the book: `daysAgo` counts back from it (epoch ms). */
  anchorMs: number;
  /** Published rate limits times this (1 = real limits). */
  limitScale: number;
  /** Faults in force from the start. */
  faults?: FaultConfig;
  /** The clock of rate limits, outages and timestamps; tests inject one. */
  now?: () => number;
}
