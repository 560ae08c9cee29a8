import { z } from "zod";
import type { GtmEnv } from "../core/gtm-env.js";
import { isLoopbackHost } from "./http-config.js";
import { defineVar, type VarSpec } from "./var-spec.js";

/** What {@link vendorUrlVar} needs. */
export interface VendorUrlOptions {
  /** One line for `--help`: which API it is (`HubSpot API base URL`). */
  description: string;
  /** The local emulator's address, used in `GTM_ENV=sandbox` (`http://127.0.0.1:4010`). */
  sandboxDefault: string;
  /**
   * The real API, used in staging and production. Absent: the variable is undefined there
   * when unset, and the server derives the address (Snowflake: from the account).
   */
  realDefault?: string;
}

/** An http(s) URL with no credentials in it, trailing slashes dropped. */
const baseUrl = z
  .string()
  .trim()
  .pipe(z.url({ protocol: /^https?$/, error: "expected an http(s) URL such as https://api.example.com" }))
  .refine((url) => !URL.canParse(url) || (new URL(url).username === "" && new URL(url).password === ""), {
    error: "expected no user name or password in the URL (credentials have their own variables)",
  })
  .transform((url) => url.replace(/\/+$/, ""));

/**
 * Declares a vendor's base URL variable. Unset, it is the emulator's address in the sandbox
 * and the real API elsewhere. In the sandbox only a loopback address is accepted, so a
 * sandbox run (writes on by default, fake data) can never reach a real system: anything
 * else refuses to start with one line naming the variable (exit 2).
 */
export function vendorUrlVar(options: VendorUrlOptions): VarSpec<string> {
  const { description, sandboxDefault, realDefault } = options;
  return defineVar<string>({
    description: `${description}, http(s); only a loopback address in the sandbox`,
    schema: baseUrl,
    default: (env: GtmEnv) => (env === "sandbox" ? sandboxDefault : realDefault),
    defaultText: `${sandboxDefault} (the emulator) in sandbox; ${realDefault ?? "derived by the server"} otherwise`,
    check: (url, env) => {
      if (env !== "sandbox") return undefined;
      const host = new URL(url).hostname;
      if (isLoopbackHost(host)) return undefined;
      return `GTM_ENV=sandbox only reaches local emulators, and ${host} is not a loopback address: unset it (default ${sandboxDefault}) or set GTM_ENV=staging or production`;
    },
  });
}
