import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { isSupportedNode } from "../node-check/index.js";

/** A way to run a script under a Node older than the servers accept. */
export interface OldNode {
  /** The executable. */
  command: string;
  /** Node flags before the script. */
  args: string[];
  /** The version the script sees (`20.20.2`). */
  version: string;
  /** True when `command` really is an old Node; false when the version is faked in this one. */
  real: boolean;
}

/** Where an old Node usually is: Debian's `nodejs` package, or one a test run names. */
const CANDIDATES = [process.env.GTM_TEST_OLD_NODE, "/usr/bin/node"];

/** The version faked when no old Node is installed. */
const FAKE_VERSION = "20.20.2";

/**
 * A Node older than 22.19 to run a built entry under: the machine's own (`/usr/bin/node`,
 * or `GTM_TEST_OLD_NODE`) when it is old, otherwise this Node with `process.versions.node`
 * set to `20.20.2` before the entry loads (what the Node check reads). The real one also
 * proves that nothing needing a newer Node is linked before the check.
 */
export function findOldNode(): OldNode {
  for (const command of CANDIDATES) {
    if (!command || !existsSync(command)) continue;
    const probe = spawnSync(command, ["-p", "process.versions.node"], { encoding: "utf8" });
    const version = probe.stdout?.trim();
    if (probe.status === 0 && version && !isSupportedNode(version)) {
      return { command, args: [], version, real: true };
    }
  }
  const fake = `Object.defineProperty(process.versions, "node", { value: ${JSON.stringify(FAKE_VERSION)} });`;
  return {
    command: process.execPath,
    args: ["--import", `data:text/javascript,${encodeURIComponent(fake)}`],
    version: FAKE_VERSION,
    real: false,
  };
}
