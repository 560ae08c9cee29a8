import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { packageVersion } from "../../src/config/index.js";

describe("packageVersion", () => {
  it("reads the version of the nearest package.json above the module", () => {
    const own = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")).version;
    expect(packageVersion(import.meta.url)).toBe(own);

    const dir = mkdtempSync(join(tmpdir(), "pkg-version-"));
    try {
      writeFileSync(join(dir, "package.json"), JSON.stringify({ name: "x", version: "3.4.5-rc.1" }));
      mkdirSync(join(dir, "dist", "deep"), { recursive: true });
      expect(packageVersion(pathToFileURL(join(dir, "dist", "deep", "main.js")).href)).toBe("3.4.5-rc.1");
      writeFileSync(join(dir, "package.json"), JSON.stringify({ name: "x" }));
      expect(() => packageVersion(pathToFileURL(join(dir, "dist", "main.js")).href)).toThrow(
        /has no version/,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
