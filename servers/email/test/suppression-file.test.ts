import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createLogger } from "@gtm-mcp/tool-kit/logging";
import { describe, expect, it } from "vitest";
import { fileSuppressionList, SuppressionEntryError } from "../src/model/suppression-list.js";

function fileWith(text: string): string {
  const file = join(mkdtempSync(join(tmpdir(), "suppress-")), "suppressed.txt");
  writeFileSync(file, text);
  return file;
}

/** A logger whose JSON lines are kept. */
function recordingLogger() {
  const lines: Array<Record<string, unknown>> = [];
  const logger = createLogger({ level: "info", write: (line) => lines.push(JSON.parse(line)) });
  return { logger, lines };
}

describe("suppression file entries (issue 24 item 10)", () => {
  it("reads a Unicode domain as punycode and a display-name entry as its address", () => {
    const list = fileSuppressionList(
      fileWith('# opt-outs\r\nbücher.de\nJane Roe <Roe@ACME.com>\n"Doe, J" <jd@acme.com> # asked twice\n'),
      createLogger({ level: "silent" }),
    );
    expect(list.match("x@xn--bcher-kva.de")).toBe("xn--bcher-kva.de");
    expect(list.match("x@shop.xn--bcher-kva.de")).toBe("xn--bcher-kva.de");
    expect(list.match("roe@acme.com")).toBe("roe@acme.com");
    expect(list.match("roe+x@acme.com")).toBe("roe@acme.com");
    expect(list.match("jd@acme.com")).toBe("jd@acme.com");
    expect(list.match("ann@acme.com")).toBeUndefined();
  });

  it.each([
    ["a bare word", "jane@acme.com\nnot a domain\n", 2],
    ["routing syntax", "# c\n\nx%evil.com@acme.com\n", 3],
    ["a display name without a closing bracket", "Jane <jane@acme.com\n", 1],
    ["two addresses on a line", "a@acme.com b@acme.com\n", 1],
  ])("refuses to read a file with %s at start, naming the line", (_n, text, line) => {
    const path = fileWith(text);
    let error: unknown;
    try {
      fileSuppressionList(path, createLogger({ level: "silent" }));
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(SuppressionEntryError);
    expect((error as SuppressionEntryError).line).toBe(line);
    expect((error as Error).message).toContain(`${path} line ${line}:`);
    expect((error as Error).message).not.toContain("\n");
  });

  it("re-read with an unreadable entry: keeps the last good list plus every readable new entry, and logs an error naming the line", () => {
    const path = fileWith("jane@acme.com\nold.test\n");
    const { logger, lines } = recordingLogger();
    const list = fileSuppressionList(path, logger);
    // An edit removes old.test, adds bob, and breaks a line.
    writeFileSync(path, "jane@acme.com\nbob@acme.com\n!!! broken\n");
    expect(list.match("bob@acme.com")).toBe("bob@acme.com");
    expect(list.match("x@old.test")).toBe("old.test");
    expect(list.match("jane@acme.com")).toBe("jane@acme.com");
    const errors = lines.filter((l) => l.level === "error");
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ lines: [3] });
    // Fixed: the file as written is the list again.
    writeFileSync(path, "jane@acme.com\nbob@acme.com\n# fixed\n");
    expect(list.match("x@old.test")).toBeUndefined();
    expect(list.match("bob@acme.com")).toBe("bob@acme.com");
  });
});
