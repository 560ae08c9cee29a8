/** The headers of an RFC 5322 message this emulator reads, and its body text. */
export interface ParsedMessage {
  headers: Array<{ name: string; value: string }>;
  from: string;
  to: string;
  cc: string;
  subject: string;
  /** Message-ID without angle brackets ("" when absent). */
  messageId: string;
  body: string;
}

/**
 * Parses a raw message: headers (folded lines unfolded, RFC 2047 encoded words decoded) up to
 * the first blank line, then the body. Not a MIME parser: multipart bodies stay as text.
 */
export function parseRfc822(raw: string): ParsedMessage {
  const text = raw.replace(/\r\n/g, "\n");
  const split = text.indexOf("\n\n");
  const head = split === -1 ? text : text.slice(0, split);
  const body = split === -1 ? "" : text.slice(split + 2);
  const headers: Array<{ name: string; value: string }> = [];
  for (const line of head.split("\n")) {
    const last = headers[headers.length - 1];
    if (/^[ \t]/.test(line) && last) last.value += ` ${line.trim()}`;
    else {
      const colon = line.indexOf(":");
      if (colon > 0) headers.push({ name: line.slice(0, colon).trim(), value: line.slice(colon + 1).trim() });
    }
  }
  // A folded header may start its value on the next line ("Message-ID:\r\n <id@host>").
  for (const h of headers) h.value = decodeWords(h.value).trim();
  const get = (name: string) => headers.find((h) => h.name.toLowerCase() === name)?.value ?? "";
  return {
    headers,
    from: get("from"),
    to: get("to"),
    cc: get("cc"),
    subject: get("subject"),
    messageId: get("message-id").trim().replace(/^<|>$/g, ""),
    body,
  };
}

/** The bare addresses in a header value (`"Ada" <ada@x.com>, b@y.com` → two). */
export function addressesOf(value: string): string[] {
  return [...value.matchAll(/[^\s<>,"]+@[^\s<>,"]+/g)].map((m) => m[0].toLowerCase());
}

function decodeWords(value: string): string {
  return value.replace(
    /=\?([^?]+)\?([BbQq])\?([^?]*)\?=/g,
    (_all, _charset: string, encoding: string, data: string) => {
      if (encoding.toUpperCase() === "B") return Buffer.from(data, "base64").toString("utf8");
      return Buffer.from(
        data
          .replace(/_/g, " ")
          .replace(/=([0-9A-Fa-f]{2})/g, (_m, hex: string) => String.fromCharCode(Number.parseInt(hex, 16))),
        "latin1",
      ).toString("utf8");
    },
  );
}
