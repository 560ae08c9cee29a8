// The public surface of `@gtm-mcp/book-run/policy`: the one decision and error-handling
// module the book run executes and the Claude Code skill describes. Any export added here is
// public API; use named exports, not wildcards.
export {
  type AccountFacts,
  type Assessment,
  AT_RISK_BELOW,
  type Decision,
  type DecisionInput,
  type DraftReason,
  decide,
  draftOwners,
  EXPANSION_AT,
  inDomain,
  type ThreadFacts,
  type UsageFacts,
} from "./decision.js";
export {
  DEFAULT_RETRY_LIMITS,
  type Disposition,
  decideOnError,
  type ErrorFacts,
  type RetryLimits,
  waitBefore,
} from "./error-policy.js";
export {
  RECENT_THREAD_DAYS,
  SEND_STEP,
  SERVER_NAMES,
  type ServerName,
  stepOf,
  USAGE_DAYS,
  WORKFLOW_STEPS,
  type WorkflowStep,
} from "./workflow.js";
