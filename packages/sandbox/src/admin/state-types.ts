import type { FaultCounts } from "../faults/fault-config.js";
import type { PdlState } from "../pdl/pdl-emulator.js";

// What `GET /_sandbox/state` answers per emulator (and `admin.state(vendor)` returns).

/** HubSpot: every write, and calls per operation. */
export interface HubSpotAdminState {
  notes: Array<{
    id: string;
    companyIds: string[];
    contactIds: string[];
    body: string;
    timestamp: string;
    createdAt: string;
  }>;
  upserts: Array<{ email: string; id: string; created: boolean; at: string }>;
  companyUpdates: Array<{ id: string; properties: Record<string, string>; at: string }>;
  associationWrites: Array<{ from: string; to: string; at: string }>;
  calls: Record<string, number>;
  faultsInjected: FaultCounts;
}

/** People Data Labs: credits per domain and account. */
export interface PdlAdminState extends PdlState {
  faultsInjected: FaultCounts;
}

/** Snowflake: every statement (text shortened), how often it was submitted and run. */
export interface SnowflakeAdminState {
  schemaSource: string;
  statements: Array<{
    handle: string;
    requestId: string;
    statement: string;
    status: "running" | "succeeded" | "failed" | "canceled";
    submissions: number;
    executions: number;
    rows: number;
    createdOn: number;
  }>;
  faultsInjected: FaultCounts;
}

/** Gmail: drafts created (and whether sent), sends, tokens, calls. */
export interface GmailAdminState {
  owner: string;
  drafts: Array<{
    draftId: string;
    messageId: string;
    rfc822MessageId: string;
    to: string;
    subject: string;
    at: string;
    sent: boolean;
  }>;
  sends: Array<{
    draftId: string;
    messageId: string;
    threadId: string;
    rfc822MessageId: string;
    to: string;
    subject: string;
    at: string;
  }>;
  suppressedRecipients: { drafts: number; sends: number };
  tokens: { issued: number; refused: number; revoked: boolean };
  calls: Record<string, number>;
  /**
   * Answered `messages.list` calls by how many ids each returned ("0": none): a client that
   * then gets those messages k at a time waits ceil(n / k) round trips, not n.
   */
  messagesListSizes: Record<string, number>;
  faultsInjected: FaultCounts;
}
