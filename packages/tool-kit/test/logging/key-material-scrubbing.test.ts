import { generateKeyPairSync } from "node:crypto";
import { describe, expect, it } from "vitest";
import { createScrubber } from "../../src/logging/index.js";

/** A real PKCS#8 RSA private key, as a key-pair credential file holds it (LF line ends). */
const PRIVATE_KEY = generateKeyPairSync("rsa", {
  modulusLength: 2048,
  privateKeyEncoding: { type: "pkcs8", format: "pem" },
  publicKeyEncoding: { type: "spki", format: "pem" },
}).privateKey;

const bodyLines = PRIVATE_KEY.split("\n").filter((line) => line !== "" && !line.startsWith("-----"));
const body = bodyLines.join("");

const scrubber = createScrubber(() => [PRIVATE_KEY]);

/** Whether any 12-character run of the key's body is left in `text`, line ends ignored. */
function keepsKeyMaterial(text: string): boolean {
  const flat = text.replace(/\\[rn]|\s/g, "");
  for (let i = 0; i + 12 <= body.length; i += 4) if (flat.includes(body.slice(i, i + 12))) return true;
  return false;
}

describe("key material is scrubbed by its body, whatever the line ends", () => {
  it.each([
    ["as configured (LF)", PRIVATE_KEY],
    ["with CRLF line ends", PRIVATE_KEY.replaceAll("\n", "\r\n")],
    ["as one line (no line ends)", PRIVATE_KEY.replaceAll("\n", "")],
    ["as one line (spaces for line ends)", PRIVATE_KEY.replaceAll("\n", " ")],
    ["as its bare base64 body (LF, no BEGIN/END lines)", bodyLines.join("\n")],
    ["as its bare base64 body (CRLF)", bodyLines.join("\r\n")],
    ["as its bare base64 body on one line", body],
    ["re-wrapped at 76 characters", body.replace(/(.{76})/g, "$1\n")],
    ["JSON-escaped in a vendor body", JSON.stringify({ cell: PRIVATE_KEY.replaceAll("\n", "\r\n") })],
  ])("%s: redacted", (_, shown) => {
    expect(keepsKeyMaterial(shown)).toBe(true);
    const out = scrubber.text(`cell: ${shown} :end`);
    expect(keepsKeyMaterial(out)).toBe(false);
    expect(out).toContain("[REDACTED]");
    expect(out.startsWith("cell: ")).toBe(true);
    expect(out.endsWith(" :end")).toBe(true);
  });

  it("each line of the body alone is redacted; the short last line only within the body", () => {
    for (const line of bodyLines.slice(0, -1)) {
      expect(scrubber.text(`a cell holding ${line} only`)).toBe("a cell holding [REDACTED] only");
    }
    // A handful of base64 characters is not told from ordinary text on its own.
    expect(scrubber.text("MIIE is a prefix and ABCD=")).toBe("MIIE is a prefix and ABCD=");
  });

  it("leaves ordinary text, and another key, alone", () => {
    const other = generateKeyPairSync("ec", {
      namedCurve: "P-256",
      privateKeyEncoding: { type: "pkcs8", format: "pem" },
      publicKeyEncoding: { type: "spki", format: "pem" },
    }).privateKey;
    expect(scrubber.text("SELECT account_id, domain FROM accounts LIMIT 10")).toBe(
      "SELECT account_id, domain FROM accounts LIMIT 10",
    );
    expect(scrubber.text(other)).toBe(other);
  });

  it("an encrypted key's header lines are not key material; its body is", () => {
    const encrypted = [
      "-----BEGIN RSA PRIVATE KEY-----",
      "Proc-Type: 4,ENCRYPTED",
      "DEK-Info: AES-128-CBC,0123456789ABCDEF0123456789ABCDEF",
      "",
      ...bodyLines,
      "-----END RSA PRIVATE KEY-----",
    ].join("\n");
    const s = createScrubber(() => [encrypted]);
    expect(s.text("Proc-Type: 4,ENCRYPTED")).toBe("Proc-Type: 4,ENCRYPTED");
    expect(keepsKeyMaterial(s.text(body))).toBe(false);
  });

  it("scrubs a megabyte of ordinary text with a key configured without a matching blow-up", () => {
    const text = `${"lorem ipsum MIIE dolor ".repeat(50_000)}`;
    const started = performance.now();
    expect(scrubber.text(text)).toBe(text);
    expect(performance.now() - started).toBeLessThan(5_000);
  });
});
