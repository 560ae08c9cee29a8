import { readFileSync, statSync } from "node:fs";
import type { Logger } from "@gtm-mcp/tool-kit/logging";
import { domainOf, isWithinDomain, normalizeAddress, normalizeDomain } from "./address.js";

/** Addresses and domains never written to. */
export interface SuppressionList {
  /** The entry that suppresses `address` (normalised), or undefined. */
  match(address: string): string | undefined;
}

/** A list that suppresses nothing (no `EMAIL_SUPPRESSION_FILE`). */
export const NO_SUPPRESSION: SuppressionList = { match: () => undefined };

interface Entries {
  addresses: Set<string>;
  domains: string[];
}

/**
 * The suppression list in `path`: one address (`jane@acme.com`) or domain (`acme.com`,
 * `@acme.com`; its subdomains too) a line, blank lines and `#` comments ignored. The file is
 * checked (size and modification time) at every lookup and re-read when it changed, so an
 * opt-out added while the server runs applies to the next draft. A file that cannot be read
 * later keeps the last list read (never fewer suppressions); an unreadable line is logged
 * and skipped.
 *
 * @throws Error naming the file when it cannot be read at start.
 */
export function fileSuppressionList(path: string, logger: Logger): SuppressionList {
  let signature = "";
  let entries: Entries = { addresses: new Set(), domains: [] };

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
    try {
      entries = parse(readFileSync(path, "utf8"), logger);
      signature = stamp;
      if (!initial)
        logger.info(
          { path, addresses: entries.addresses.size, domains: entries.domains.length },
          "suppression file re-read",
        );
    } catch (error) {
      if (initial) throw new Error(`cannot read EMAIL_SUPPRESSION_FILE ${path}: ${codeOf(error)}`);
      logger.error({ path, code: codeOf(error) }, "suppression file unreadable; keeping the last list read");
    }
  };

  refresh(true);
  return {
    match(address) {
      refresh(false);
      if (entries.addresses.has(address)) return address;
      const domain = domainOf(address);
      return entries.domains.find((d) => isWithinDomain(domain, d));
    },
  };
}

function parse(text: string, logger: Logger): Entries {
  const addresses = new Set<string>();
  const domains: string[] = [];
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = raw.replace(/#.*$/, "").trim();
    if (line === "") return;
    if (line.includes("@") && !line.startsWith("@")) {
      const address = normalizeAddress(line);
      if (address) addresses.add(address);
      else logger.warn({ line: index + 1 }, "suppression file: not an address or domain; skipped");
      return;
    }
    const domain = normalizeDomain(line.replace(/^@/, ""));
    if (domain) domains.push(domain);
    else logger.warn({ line: index + 1 }, "suppression file: not an address or domain; skipped");
  });
  return { addresses, domains };
}

function codeOf(error: unknown): string {
  return (error as NodeJS.ErrnoException).code ?? "unreadable";
}
