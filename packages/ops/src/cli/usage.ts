/** The `gtm-mcp --help` text. */
export const USAGE = `gtm-mcp: operate the gtm-mcp servers' shared state (review queue, idempotency keys, caps) and read their call logs

Usage:
  gtm-mcp review list [--status open|resolved|all] [--limit N]
  gtm-mcp review show <review-id>
  gtm-mcp review resolve <review-id> --by <who> --reason <why>
  gtm-mcp keys show <key>                 a key as the call log prints it: <tool>:<sha256>
  gtm-mcp caps show --run <run-id> [--cap NAME ...]
  gtm-mcp store info
  gtm-mcp calls report [FILE|-] [--follow] [--interval SECONDS]
                                          a server's stderr (call-log lines) from FILE or stdin:
                                          calls, error/retry/replay rates, p50/p95 per tool and
                                          per hour, rising retry rates, contract violations;
                                          --follow keeps reading and reprints (default every 10 s)

Options (every command):
  --server NAME   the server whose records to read: crm, enrichment, warehouse, email
                  (default: GTM_SERVER, else crm)
  --env ENV       sandbox, staging or production (default: GTM_ENV, else sandbox)
  --json          one JSON document on stdout instead of aligned tables
  --help          this text

Reads GTM_STATE_URL exactly as the servers do (redis://, rediss://, sqlite:<path>, or unset for
the default file under the state directory). Exit codes: 0 done, 1 not found or refused,
2 bad usage or configuration.
`;
