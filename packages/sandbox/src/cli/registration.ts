import type { Sandbox } from "../start-sandbox.js";

/** Each server, the variables it takes from the sandbox env, and its package directory. */
const SERVERS: Array<{ name: string; dir: string; prefixes: string[] }> = [
  { name: "crm", dir: "servers/crm", prefixes: ["HUBSPOT_"] },
  { name: "enrichment", dir: "servers/enrichment", prefixes: ["PDL_"] },
  { name: "warehouse", dir: "servers/warehouse", prefixes: ["SNOWFLAKE_"] },
  { name: "email", dir: "servers/email", prefixes: ["GMAIL_", "EMAIL_"] },
];

/** The `claude mcp add` line of each server whose emulator runs, pointing at it. */
export function claudeMcpAddLines(sandbox: Sandbox, repoRoot: string): string[] {
  return SERVERS.flatMap((server) => {
    const vars = Object.entries(sandbox.env).filter(([name]) =>
      server.prefixes.some((p) => name.startsWith(p)),
    );
    if (vars.length === 0) return [];
    const env = [["GTM_ENV", "sandbox"], ...vars].map(([k, v]) => `-e ${k}=${shellQuote(v!)}`).join(" ");
    return [
      `claude mcp add gtm-${server.name}-sandbox ${env} -- node ${shellQuote(`${repoRoot}/${server.dir}/dist/main.js`)}`,
    ];
  });
}

function shellQuote(text: string): string {
  return /^[\w@%+=:,./-]+$/.test(text) ? text : `'${text.replace(/'/g, "'\\''")}'`;
}
