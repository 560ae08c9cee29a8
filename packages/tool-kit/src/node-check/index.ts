// The public surface of `@gtm-mcp/tool-kit/node-check`. This module imports nothing, so an
// entry point can load it on any Node and refuse an old one before linking modules that
// fail there (`node:sqlite`, for one, does not exist in Node 20).

/** The oldest Node the servers and CLIs run on. */
export const MIN_NODE = { major: 22, minor: 19 } as const;

/** Whether `version` ("20.20.2" or "v20.20.2") is at least {@link MIN_NODE}. */
export function isSupportedNode(version: string): boolean {
  const [major = 0, minor = 0] = version.replace(/^v/, "").split(".").map(Number);
  return major > MIN_NODE.major || (major === MIN_NODE.major && minor >= MIN_NODE.minor);
}

/**
 * Refuses to go on under a Node older than {@link MIN_NODE}: prints one line on stderr
 * (`gtm-mcp-crm needs Node >= 22.19 (found 20.20.2)`) and exits 2. Call it first in an
 * entry module, then `await import()` the real start module, so nothing that needs the
 * newer Node is linked before the check runs.
 */
export function checkNode(binary: string, version: string = process.versions.node): void {
  if (isSupportedNode(version)) {
    enableCompileCache();
    return;
  }
  process.stderr.write(`${binary} needs Node >= ${MIN_NODE.major}.${MIN_NODE.minor} (found ${version})\n`);
  process.exit(2);
}

/**
 * Turns on Node's on-disk cache of compiled modules (`module.enableCompileCache`, in the OS
 * temporary directory or `NODE_COMPILE_CACHE`; off with `NODE_DISABLE_COMPILE_CACHE=1`):
 * compiling the few hundred modules a server links was most of its start-up, and a server is
 * started again for every agent session. Reached through `process.getBuiltinModule` so this
 * module still imports nothing; a Node without it, or a cache that cannot be written, just
 * starts without one.
 */
function enableCompileCache(): void {
  try {
    const getBuiltin = (process as { getBuiltinModule?: (id: string) => unknown }).getBuiltinModule;
    const nodeModule = getBuiltin?.call(process, "node:module") as
      | { enableCompileCache?: () => unknown }
      | undefined;
    nodeModule?.enableCompileCache?.();
  } catch {
    // A read-only temporary directory: no cache, same behaviour.
  }
}
