import type { MessagePart } from "./schemas.js";

/** The first value of header `name` (case-insensitive), or undefined. */
export function headerOf(part: MessagePart | undefined, name: string): string | undefined {
  const lower = name.toLowerCase();
  return part?.headers?.find((h) => h.name.toLowerCase() === lower)?.value;
}

/** The decoded text of the first `text/plain` part (depth first), or undefined. */
export function plainTextOf(part: MessagePart | undefined): string | undefined {
  return partTextOf(part, "text/plain");
}

/** The decoded text of the first part of `mimeType` (depth first), or undefined. */
export function partTextOf(part: MessagePart | undefined, mimeType: string): string | undefined {
  if (part === undefined) return undefined;
  if ((part.mimeType ?? "").toLowerCase() === mimeType && part.body?.data !== undefined) {
    return Buffer.from(part.body.data, "base64url").toString("utf8");
  }
  for (const child of part.parts ?? []) {
    const text = partTextOf(child, mimeType);
    if (text !== undefined) return text;
  }
  return undefined;
}
