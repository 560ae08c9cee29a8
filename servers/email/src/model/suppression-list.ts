import { readFileSync, statSync } from "node:fs";
import type { Logger } from "@gtm-mcp/tool-kit/logging";
import { addressKey, domainOf, isWithinDomain, normalizeDomain, parseAddress } from "./address.js";

/** Addresses and domains never written to. */
export interface SuppressionList {
  /**
   * The entry that suppresses `address` (normalised), or undefined. An address entry matches
   * every variant reaching the same mailbox ({@link addressKey}: case, plus-tag, Gmail dots);
   * a domain entry matches the domain and its subdomains.
   */
  match(address: string): string | undefined;
}

/** A list that suppresses nothing (no `EMAIL_SUPPRESSION_FILE`). */
export const NO_SUPPRESSION: SuppressionList = { match: () => undefined };

interface Entries {
  /** addressKey → the entry as normalised. */
  addresses: Map<string, string>;
  domains: Set<string>;
}

/** An entry of the file that is neither an address nor a domain. */
export class SuppressionEntryError extends Error {
  constructor(
    readonly path: string,
    readonly line: number,
    reason: string,
  ) {
    super(`EMAIL_SUPPRESSION_FILE ${path} line ${line}: ${reason}`);
    this.name = "SuppressionEntryError";
  }
}

/**
 * The suppression list in `path`: one address (`jane@acme.com`, or `Jane Roe <jane@acme.com>`)
 * or domain (`acme.com`, `@acme.com`, `bücher.de`; its subdomains too) a line, blank lines and
 * `#` comments ignored; internationalised domains are read as punycode. The file is checked
 * (size, modification time, inode) at every lookup and re-read when it changed, so an opt-out
 * added while the server runs applies to the next draft.
 *
 * It never fails open. At start, an entry it cannot read is an error naming its line (the
 * server refuses to start). Later, a file that cannot be read keeps the last list read; a
 * changed file with an unreadable entry is logged as an error naming the line, and the list
 * becomes the last good list plus every entry of the new file that could be read: new
 * opt-outs apply at once, and an entry removed only stops applying once the whole file reads.
 *
 * @throws Error naming the file (and {@link SuppressionEntryError} naming the line) when it
 *   cannot be read at start.
 */
export function fileSuppressionList(path: string, logger: Logger): SuppressionList {
  let signature = "";
  let entries: Entries = { addresses: new Map(), domains: new Set() };

  const refresh = (initial: boolean) => {
    let stamp: string;
    try {
      const stat = statSync(path);
      stamp = `${stat.size}:${stat.mtimeMs}:${stat.ino}`;
    } catch (error) {
      if (initial) throw new Error(`cannot read EMAIL_SUPPRESSION_FILE ${path}: ${codeOf(error)}`);
      logger.error({ path, code: codeOf(error) }, "suppression file unreadable; keeping the last list read");
      return;
    }
    if (stamp === signature) return;
    let text: string;
    try {
      text = readFileSync(path, "utf8");
    } catch (error) {
      if (initial) throw new Error(`cannot read EMAIL_SUPPRESSION_FILE ${path}: ${codeOf(error)}`);
      logger.error({ path, code: codeOf(error) }, "suppression file unreadable; keeping the last list read");
      return;
    }
    const parsed = parseEntries(text, path);
    signature = stamp;
    if (parsed.errors.length > 0) {
      if (initial) throw parsed.errors[0]!;
      for (const [key, entry] of parsed.entries.addresses) entries.addresses.set(key, entry);
      for (const domain of parsed.entries.domains) entries.domains.add(domain);
      logger.error(
        { path, lines: parsed.errors.slice(0, 20).map((e) => e.line) },
        "suppression file has entries that are not an address or domain; keeping the last list read plus every readable entry",
      );
      return;
    }
    entries = parsed.entries;
    if (!initial)
      logger.info(
        { path, addresses: entries.addresses.size, domains: entries.domains.size },
        "suppression file re-read",
      );
  };

  refresh(true);
  return {
    match(address) {
      refresh(false);
      const byAddress = entries.addresses.get(addressKey(address));
      if (byAddress !== undefined) return byAddress;
      const domain = domainOf(address);
      for (const d of entries.domains) if (isWithinDomain(domain, d)) return d;
      return undefined;
    },
  };
}

/** The entries of a suppression file, and an error for each line that is neither an address nor a domain. */
function parseEntries(text: string, path: string): { entries: Entries; errors: SuppressionEntryError[] } {
  const addresses = new Map<string, string>();
  const domains = new Set<string>();
  const errors: SuppressionEntryError[] = [];
  text.split(/\r\n|\r|\n/).forEach((raw, index) => {
    const line = raw.replace(/#.*$/, "").trim();
    if (line === "") return;
    if (line.includes("@") && !line.startsWith("@")) {
      // `Jane Roe <jane@acme.com>`: the address in the angle brackets.
      const inner = /<([^<>]*)>$/.exec(line)?.[1] ?? line;
      const parsed = parseAddress(inner);
      if (parsed.address !== undefined) addresses.set(addressKey(parsed.address), parsed.address);
      else
        errors.push(
          new SuppressionEntryError(path, index + 1, `not an address or domain (${parsed.problem})`),
        );
      return;
    }
    const domain = normalizeDomain(line.replace(/^@/, ""));
    if (domain) domains.add(domain);
    else errors.push(new SuppressionEntryError(path, index + 1, "not an address or domain"));
  });
  return { entries: { addresses, domains }, errors };
}

function codeOf(error: unknown): string {
  return (error as NodeJS.ErrnoException).code ?? "unreadable";
}
