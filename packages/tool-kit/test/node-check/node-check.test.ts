import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it, vi } from "vitest";
import { checkNode, isSupportedNode } from "../../src/node-check/index.js";
import { findOldNode } from "../../src/testing/index.js";

const source = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "src", "node-check", "index.ts");

afterEach(() => {
  vi.restoreAllMocks();
});

describe("isSupportedNode", () => {
  it.each([
    ["22.19.0", true],
    ["v22.19.0", true],
    ["22.20.1", true],
    ["23.0.0", true],
    ["24.21.0", true],
    ["22.18.9", false],
    ["22.5.1", false],
    ["20.20.2", false],
    ["18.19.0", false],
    ["", false],
  ])("%s → %s", (version, supported) => {
    expect(isSupportedNode(version)).toBe(supported);
  });
});

describe("checkNode", () => {
  it("prints one line naming the binary and the found version, then exits 2", () => {
    const exit = vi.spyOn(process, "exit").mockImplementation((() => undefined) as never);
    const write = vi.spyOn(process.stderr, "write").mockImplementation(() => true);
    checkNode("gtm-mcp-crm", "20.20.2");
    expect(write.mock.calls).toEqual([["gtm-mcp-crm needs Node >= 22.19 (found 20.20.2)\n"]]);
    expect(exit).toHaveBeenCalledWith(2);
  });

  it("does nothing on a supported Node", () => {
    const exit = vi.spyOn(process, "exit").mockImplementation((() => undefined) as never);
    const write = vi.spyOn(process.stderr, "write").mockImplementation(() => true);
    checkNode("gtm-mcp-crm", "22.19.0");
    checkNode("gtm-mcp-crm");
    expect(write).not.toHaveBeenCalled();
    expect(exit).not.toHaveBeenCalled();
  });

  it("turns on Node's compile cache on a supported Node (in NODE_COMPILE_CACHE when set)", () => {
    const dir = mkdtempSync(join(tmpdir(), "gtm-compile-cache-"));
    try {
      const probe = `import { checkNode } from ${JSON.stringify(source)};
import { getCompileCacheDir } from "node:module";
checkNode("probe");
process.stdout.write(String(getCompileCacheDir()));`;
      const run = spawnSync(process.execPath, ["--input-type=module", "-e", probe], {
        env: { PATH: process.env.PATH ?? "", NODE_COMPILE_CACHE: dir },
        encoding: "utf8",
      });
      expect(run.stderr).toBe("");
      expect(run.stdout.startsWith(dir)).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("imports nothing, so an old Node can load it", () => {
    const code = readFileSync(source, "utf8")
      .split("\n")
      .filter((line) => !/^\s*(\/\/|\/\*\*|\*)/.test(line))
      .join("\n");
    expect(code).toContain("export function checkNode");
    expect(code).not.toMatch(/^\s*import\s|\bimport\(|\brequire\(/m);
  });
});

describe("findOldNode", () => {
  it("gives a Node whose version the check refuses", () => {
    const old = findOldNode();
    const run = spawnSync(old.command, [...old.args, "-p", "process.versions.node"], { encoding: "utf8" });
    expect(run.status).toBe(0);
    expect(run.stdout.trim()).toBe(old.version);
    expect(isSupportedNode(old.version)).toBe(false);
  });
});
