// Section 5b: what a typical result of each tool costs a model's context. Every tool of the
// four built servers is called once over stdio against the sandbox's emulators, with the
// arguments an agent working one account would send; the size is the result's text content
// (what the model reads), in bytes and ≈ tokens (bytes ÷ 4).
import { spawnStdioServer } from "@gtm-mcp/tool-kit/testing";
import { ROOT } from "./processes.mjs";

/** The calls, in order (a later one may use an earlier one's result: the draft's id). */
function typicalCalls(book) {
  // An account whose contact has threads in the mailbox, as one an agent follows up would.
  const mailed = new Set(book.mailbox.flatMap((m) => [m.to, m.from]));
  const contact = book.contacts.find((c) => mailed.has(c.email)) ?? book.contacts[0];
  const account = book.accounts.find((a) => a.accountId === contact.accountId);
  const now = new Date();
  const quarter = `${now.getUTCFullYear()}-Q${Math.floor(now.getUTCMonth() / 3) + 1}`;
  const domains = book.accounts.slice(0, 5).map((a) => a.domain);
  return {
    crm: [
      ["search_accounts", { limit: 10 }],
      ["get_account", { account_id: account.companyId }],
      ["get_contact", { email: contact.email }],
      [
        "upsert_lead",
        {
          email: `ada.lovelace@${account.domain}`,
          first_name: "Ada",
          last_name: "Lovelace",
          account_id: account.companyId,
        },
      ],
      [
        "log_activity_note",
        {
          account_id: account.companyId,
          body: "Called about the renewal; a demo is next.",
          occurrence: "bench-result-size",
        },
      ],
      ["list_account_activity", { account_id: account.companyId }],
      ["update_account_fields", { account_id: account.companyId, fields: { industry: account.industry } }],
    ],
    enrichment: [
      ["get_account_signals", { domain: account.domain }],
      ["get_accounts_signals", { domains }],
    ],
    warehouse: [
      ["list_queries", {}],
      ["get_account_usage", { domain: account.domain }],
      ["list_accounts_by_segment", { segment: account.segment, limit: 10 }],
      ["get_pipeline_summary", { quarter }],
      ["find_expansion_candidates", { limit: 10 }],
    ],
    email: [
      ["list_recent_threads", { contact_email: contact.email, days: 90 }],
      [
        "create_outreach_draft",
        {
          to: contact.email,
          account_domain: account.domain,
          subject: "Your renewal",
          body: `Hi ${contact.firstName},\n\nCould we find 20 minutes next week to go over the renewal?\n\nBest`,
          occurrence: "bench-result-size",
        },
      ],
      ["get_draft", (previous) => ({ draft_id: previous.create_outreach_draft?.draft_id })],
      ["send_draft", (previous) => ({ draft_id: previous.create_outreach_draft?.draft_id })],
    ],
  };
}

/** Result sizes per server and tool: `{ bytes, tokens, outcome }` (`ok` or the error code). */
export async function benchResultSizes({ env, book, servers }) {
  const calls = typicalCalls(book);
  const out = {};
  for (const name of servers) {
    const server = await spawnStdioServer({
      entry: `${ROOT}servers/${name}/dist/main.js`,
      env: env[name],
      // send_draft in confirm mode asks a person: the bench accepts, as one would.
      elicit: async () => ({ action: "accept", content: { confirm: true } }),
    });
    try {
      const previous = {};
      out[name] = {};
      for (const [tool, args] of calls[name]) {
        const result = await server.client.callTool({
          name: tool,
          arguments: typeof args === "function" ? args(previous) : args,
        });
        const text = (result.content ?? []).map((c) => c.text ?? "").join("");
        const bytes = Buffer.byteLength(text);
        let outcome = "ok";
        if (result.isError) outcome = JSON.parse(text).error?.code ?? "error";
        else previous[tool] = result.structuredContent;
        out[name][tool] = { bytes, tokens: Math.round(bytes / 4), outcome };
      }
    } finally {
      await server.close();
    }
  }
  return out;
}
