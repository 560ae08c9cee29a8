import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
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
