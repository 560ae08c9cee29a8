import { createHash } from "node:crypto";
import type { Book } from "./types.js";

/**
 * SHA-256 of the book's canonical JSON (keys in the order the generator writes them). Two
 * generations from the same seed and size hash the same; the CLI prints it so two machines
 * can compare books.
 */
export function bookHash(book: Book): string {
  const hash = createHash("sha256");
  // Part by part: the whole book as one string would be tens of megabytes.
  for (const [part, value] of Object.entries(book)) {
    hash.update(part);
    if (Array.isArray(value)) for (const item of value) hash.update(JSON.stringify(item));
    else hash.update(JSON.stringify(value));
  }
  return hash.digest("hex");
}
