import { randomUUID } from "node:crypto";
import { type HttpStub, type StubReply, type StubRequest, startHttpStub } from "@gtm-mcp/tool-kit/testing";

// A Snowflake SQL API v2 stub that answers as vendors.md says the real API does: statuses,
// bodies and codes (090001 result, 333334 still running, 000904/42000 compilation error,
// 000604/57014 cancelled), requestId idempotency with retry=true, 202 + polling, partitions.

/** A column as Snowflake describes it in `rowType` (real answers use lower-case type names). */
export interface StubColumn {
  name: string;
  type: string;
  scale?: number;
  precision?: number;
  nullable?: boolean;
}

/** How the stub answers one statement. */
export interface StubPlan {
  rowType?: StubColumn[];
  rows?: Array<Array<string | null>>;
  /** Rows per partition (default: all in partition 0). */
  partitionSize?: number;
  /** Status polls answered 202 before the result (0: the submit answers 200 at once). */
  polls?: number;
  /** Never finishes (until cancelled). */
  hang?: boolean;
  /** Hold the submit's answer this long (a statement still running when the call is cancelled). */
  submitDelayMs?: number;
  /** Answer the submit with a failure instead (422 compilation error, 408, …). */
  fail?: { status: number; body?: unknown };
}

/** A statement the stub executed. */
export interface StubStatement {
  handle: string;
  requestId: string;
  statement: string;
  bindings: Record<string, { type: string; value: string | null }>;
  body: Record<string, unknown>;
  plan: StubPlan;
  pollsLeft: number;
  cancelled: boolean;
}

/** One grant a role holds, as `SHOW GRANTS TO ROLE` lists it. */
export interface StubGrant {
  privilege: string;
  granted_on: string;
  name: string;
  grant_option?: boolean;
}

/** What a read-only role holds: the default answer of `SHOW GRANTS TO ROLE`. */
export const READ_ONLY_GRANTS: StubGrant[] = [
  { privilege: "USAGE", granted_on: "WAREHOUSE", name: "GTM_WH" },
  { privilege: "USAGE", granted_on: "DATABASE", name: "GTM" },
  { privilege: "SELECT", granted_on: "TABLE", name: "GTM.PUBLIC.ACCOUNTS" },
];

/** The 422 Snowflake answers when the session role may not see a role's grants. */
const GRANTS_DENIED = (role: string): StubPlan => ({
  fail: {
    status: 422,
    body: {
      code: "003001",
      sqlState: "42501",
      message: `SQL access control error:\nInsufficient privileges to operate on role '${role}'`,
    },
  },
});

/** Options of {@link startSnowflakeStub}. */
export interface SnowflakeStubOptions {
  /** Answers each executed statement (the identity query has a default); `request` is its submit. */
  plan?: (statement: string, bindings: StubStatement["bindings"], request: StubRequest) => StubPlan;
  identity?: { account: string; user: string; role: string };
  /** `SHOW GRANTS TO ROLE "<role>"` by role name (default: {@link READ_ONLY_GRANTS}); "denied": a 422 003001. */
  grants?: Record<string, StubGrant[] | "denied">;
  /** Checks the Authorization header (default: any Bearer token). */
  authorize?: (request: StubRequest) => boolean | Promise<boolean>;
}

/** A running stub and what it saw. */
export interface SnowflakeStub extends HttpStub {
  /** Statements executed, in order (a resubmit with retry=true does not add one). */
  statements: StubStatement[];
  /** Handles that received a cancel. */
  cancels: string[];
  /** Failures to answer the next submits with, before they are executed (503, 429, …). */
  failNextSubmits: Array<{ status: number; body?: unknown; headers?: Record<string, string> }>;
  submits(): StubRequest[];
}

const RUNNING = {
  code: "333334",
  message:
    "Asynchronous execution in progress. Use provided query id to perform query monitoring and management.",
};

/** Starts the stub on a free localhost port. */
export async function startSnowflakeStub(options: SnowflakeStubOptions = {}): Promise<SnowflakeStub> {
  const identity = options.identity ?? { account: "XY12345", user: "GTM_READER", role: "GTM_READ_ONLY" };
  const statements: StubStatement[] = [];
  const byRequestId = new Map<string, StubStatement>();
  const byHandle = new Map<string, StubStatement>();
  const cancels: string[] = [];
  const failNextSubmits: SnowflakeStub["failNextSubmits"] = [];

  const planFor = (
    statement: string,
    bindings: StubStatement["bindings"],
    request: StubRequest,
  ): StubPlan => {
    if (/CURRENT_ACCOUNT\(\)/i.test(statement)) {
      return {
        rowType: ["CURRENT_ACCOUNT()", "CURRENT_USER()", "CURRENT_ROLE()"].map((name) => ({
          name,
          type: "text",
        })),
        rows: [[identity.account, identity.user, identity.role]],
      };
    }
    const show = /^SHOW GRANTS TO ROLE "((?:[^"]|"")+)"$/i.exec(statement);
    if (show) {
      const role = show[1]!.replace(/""/g, '"');
      const grants = options.grants?.[role] ?? READ_ONLY_GRANTS;
      if (grants === "denied") return GRANTS_DENIED(role);
      const text = [
        "created_on",
        "privilege",
        "granted_on",
        "name",
        "granted_to",
        "grantee_name",
        "grant_option",
        "granted_by",
      ];
      return {
        rowType: text.map((name) => ({ name, type: name === "created_on" ? "timestamp_ltz" : "text" })),
        rows: grants.map((g) => [
          "1700000000.000000000",
          g.privilege,
          g.granted_on,
          g.name,
          "ROLE",
          role,
          String(g.grant_option ?? false),
          "SECURITYADMIN",
        ]),
      };
    }
    return options.plan
      ? options.plan(statement, bindings, request)
      : { rowType: [{ name: "X", type: "fixed" }], rows: [] };
  };

  const statusUrl = (handle: string) => `/api/v2/statements/${handle}`;
  const running = (s: StubStatement): StubReply => ({
    status: 202,
    body: { ...RUNNING, statementHandle: s.handle, statementStatusUrl: statusUrl(s.handle) },
  });
  const cancelledReply = (s: StubStatement): StubReply => ({
    status: 422,
    body: { code: "000604", message: "SQL execution canceled", sqlState: "57014", statementHandle: s.handle },
  });

  /** The current answer about a statement: running, failed, cancelled, or partition 0 of its result. */
  function stateOf(s: StubStatement): StubReply {
    if (s.cancelled) return cancelledReply(s);
    if (s.plan.fail) return { status: s.plan.fail.status, body: s.plan.fail.body ?? {} };
    if (s.plan.hang || s.pollsLeft > 0) return running(s);
    const rows = s.plan.rows ?? [];
    const size = s.plan.partitionSize ?? Math.max(rows.length, 1);
    const partitions: Array<Array<Array<string | null>>> = [];
    for (let i = 0; i < rows.length; i += size) partitions.push(rows.slice(i, i + size));
    if (partitions.length === 0) partitions.push([]);
    return {
      status: 200,
      body: {
        resultSetMetaData: {
          numRows: rows.length,
          format: "jsonv2",
          rowType: (s.plan.rowType ?? []).map((c) => ({
            name: c.name,
            database: "GTM",
            schema: "PUBLIC",
            table: "",
            type: c.type,
            scale: c.scale ?? 0,
            precision: c.precision ?? (c.type.toLowerCase() === "fixed" ? 38 : 0),
            nullable: c.nullable ?? true,
            byteLength: null,
            length: null,
            collation: null,
          })),
          partitionInfo: partitions.map((p) => ({
            rowCount: p.length,
            uncompressedSize: JSON.stringify(p).length,
          })),
        },
        data: partitions[0],
        code: "090001",
        statementStatusUrl: statusUrl(s.handle),
        sqlState: "00000",
        statementHandle: s.handle,
        message: "Statement executed successfully.",
        createdOn: Date.now(),
      },
    };
  }

  function partitionOf(s: StubStatement, n: number): StubReply {
    const rows = s.plan.rows ?? [];
    const size = s.plan.partitionSize ?? Math.max(rows.length, 1);
    const slice = rows.slice(n * size, (n + 1) * size);
    if (n > 0 && slice.length === 0)
      return { status: 400, body: { code: "390142", message: "Invalid partition" } };
    return { status: 200, body: { data: slice } };
  }

  const stub = await startHttpStub(async (request) => {
    const authorized =
      request.headers["user-agent"] !== undefined &&
      request.headers["x-snowflake-authorization-token-type"] !== undefined &&
      (await (options.authorize ?? ((r) => /^Bearer \S+$/.test(String(r.headers.authorization))))(request));
    if (!authorized) {
      return { status: 401, body: { code: "390303", message: "Invalid OAuth access token. " } };
    }
    const path = request.pathname;
    if (request.method === "POST" && path === "/api/v2/statements") return submit(request);
    const cancel = /^\/api\/v2\/statements\/([^/]+)\/cancel$/.exec(path);
    if (request.method === "POST" && cancel) {
      const s = byHandle.get(cancel[1]!);
      if (!s) return { status: 404, body: { code: "000709", message: "Statement not found" } };
      cancels.push(s.handle);
      s.cancelled = true;
      return {
        status: 200,
        body: {
          code: "000000",
          sqlState: "00000",
          message: "successfully canceled",
          statementHandle: s.handle,
        },
      };
    }
    const status = /^\/api\/v2\/statements\/([^/]+)$/.exec(path);
    if (request.method === "GET" && status) {
      const s = byHandle.get(status[1]!);
      if (!s) return { status: 404, body: { code: "000709", message: "Statement not found" } };
      const partition = request.query.get("partition");
      if (partition !== null && Number(partition) > 0) return partitionOf(s, Number(partition));
      if (!s.cancelled && !s.plan.fail && s.pollsLeft > 0) {
        s.pollsLeft -= 1;
        return running(s);
      }
      return stateOf(s);
    }
    return { status: 404, body: { message: `no such endpoint: ${request.method} ${path}` } };
  });

  function submit(request: StubRequest): StubReply {
    const requestId = request.query.get("requestId") ?? randomUUID();
    const existing = byRequestId.get(requestId);
    // A resubmit with the same requestId and retry=true answers about the first statement.
    if (existing && request.query.get("retry") === "true") {
      return request.query.get("async") === "true" && !existing.cancelled
        ? running(existing)
        : stateOf(existing);
    }
    const injected = failNextSubmits.shift();
    if (injected) {
      // A 5xx/429 before execution: nothing ran, but remember nothing either.
      return { status: injected.status, body: injected.body ?? {}, headers: injected.headers ?? {} };
    }
    const body = (request.body ?? {}) as Record<string, unknown>;
    const statement = String(body.statement ?? "");
    const bindings = (body.bindings ?? {}) as StubStatement["bindings"];
    const plan = planFor(statement, bindings, request);
    const handle = randomUUID();
    const s: StubStatement = {
      handle,
      requestId,
      statement,
      bindings,
      body,
      plan,
      pollsLeft: plan.polls ?? 0,
      cancelled: false,
    };
    statements.push(s);
    byRequestId.set(requestId, s);
    byHandle.set(handle, s);
    if (plan.fail) {
      return {
        status: plan.fail.status,
        body: { statementHandle: handle, ...(plan.fail.body as Record<string, unknown>) },
      };
    }
    if (request.query.get("async") === "true") return running(s);
    const reply = stateOf(s);
    return plan.submitDelayMs && "status" in reply ? { ...reply, delayMs: plan.submitDelayMs } : reply;
  }

  return {
    ...stub,
    url: stub.url,
    requests: stub.requests,
    close: stub.close,
    statements,
    cancels,
    failNextSubmits,
    submits: () => stub.requests.filter((r) => r.method === "POST" && r.pathname === "/api/v2/statements"),
  };
}

/** The 422 Snowflake answers to SQL that does not compile. */
export const COMPILATION_ERROR = {
  status: 422,
  body: {
    code: "000904",
    message: "SQL compilation error: error line 1 at position 7\ninvalid identifier 'ACTIVE_USER'",
    sqlState: "42000",
  },
};
