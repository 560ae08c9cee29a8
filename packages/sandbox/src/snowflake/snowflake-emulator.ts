import { randomUUID } from "node:crypto";
import type { SnowflakeAdminState } from "../admin/state-types.js";
import { FaultInjector } from "../faults/fault-injector.js";
import type { EmulatorOptions } from "../http/emulator-options.js";
import type { EmulatorDefinition } from "../http/emulator-server.js";
import type { EmulatorReply, EmulatorRequest, Route } from "../http/types.js";
import { PUBLISHED_LIMITS } from "../limits/rate-policy.js";
import { TokenBucket } from "../limits/token-bucket.js";
import { SANDBOX_CREDENTIALS } from "../vendors.js";
import type { Binding } from "./bindings.js";
import { authenticateSnowflake, type SnowflakeCaller } from "./snowflake-auth.js";
import type { Session } from "./sql-rewrite.js";
import { StatementBook, type StatementSettings, statusUrl } from "./statements.js";
import { WarehouseEngine } from "./warehouse-engine.js";

/** Options of the Snowflake emulator beyond the common ones. */
export interface SnowflakeOptions extends EmulatorOptions {
  statements?: Partial<StatementSettings>;
}

/** The Snowflake emulator, its engine and its statements. */
export interface SnowflakeEmulator {
  definition: EmulatorDefinition;
  engine: WarehouseEngine;
  statements: StatementBook;
  close(): Promise<void>;
}

/** Defaults: Snowflake answers 202 after ~45 s; 10,000 rows a partition keeps tests of paging small. */
export const DEFAULT_STATEMENT_SETTINGS: StatementSettings = {
  syncWaitMs: 45_000,
  partitionRows: 10_000,
  executionDelayMs: 0,
};

/**
 * The Snowflake SQL API v2 (vendors.md) over an embedded DuckDB: submit with bindings,
 * `requestId` + `retry=true` idempotency, 202 for async or slow statements, polling,
 * partitions, cancel, the identity query, jsonv2 encodings, Snowflake's error codes.
 */
export async function createSnowflakeEmulator(options: SnowflakeOptions): Promise<SnowflakeEmulator> {
  const now = options.now ?? Date.now;
  const engine = await WarehouseEngine.open(options.book, options.anchorMs);
  const statements = new StatementBook(engine, { ...DEFAULT_STATEMENT_SETTINGS, ...options.statements });
  const faults = new FaultInjector(`${options.book.seed}/snowflake`, now);
  if (options.faults) faults.set(options.faults);
  const bucket = new TokenBucket(
    Math.max(1, Math.round(PUBLISHED_LIMITS.snowflake.perSecond * options.limitScale)),
    1_000,
    now,
  );
  const callers = new WeakMap<EmulatorRequest, SnowflakeCaller>();
  const c = SANDBOX_CREDENTIALS.snowflake;

  const submit = async (request: EmulatorRequest): Promise<EmulatorReply> => {
    const body = request.body as
      | {
          statement?: unknown;
          timeout?: unknown;
          database?: string;
          schema?: string;
          warehouse?: string;
          role?: string;
          bindings?: Record<string, Binding>;
        }
      | undefined;
    if (!body || typeof body.statement !== "string" || body.statement.trim() === "") {
      return {
        status: 400,
        body: { code: "390142", message: "Incoming request does not contain a valid payload." },
      };
    }
    const requestId = request.query.get("requestId") ?? randomUUID();
    const retry = request.query.get("retry") === "true";
    const known = statements.byRequestId.get(requestId);
    if (known && retry) {
      known.submissions++;
      return waitAndAnswer(known, request.query.get("async") === "true");
    }
    const timeout = body.timeout === undefined ? 172_800 : Number(body.timeout);
    if (!Number.isFinite(timeout) || timeout < 0 || timeout > 604_800) {
      return { status: 400, body: { code: "390142", message: `Invalid timeout ${String(body.timeout)}.` } };
    }
    const caller = callers.get(request) ?? { account: c.account, user: c.user };
    const session: Session = {
      account: caller.account,
      user: caller.user,
      role: body.role ?? c.role,
      warehouse: body.warehouse ?? c.warehouse,
      database: body.database ?? c.database,
      schema: body.schema ?? c.schema,
    };
    const statement = statements.submit(body.statement, body.bindings, timeout, session, requestId);
    return waitAndAnswer(statement, request.query.get("async") === "true");
  };

  const waitAndAnswer = async (
    statement: ReturnType<StatementBook["submit"]>,
    async: boolean,
  ): Promise<EmulatorReply> => {
    if (!async) {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        statement.done,
        new Promise<void>((r) => (timer = setTimeout(r, statements.settings.syncWaitMs))),
      ]);
      clearTimeout(timer);
    }
    return statements.answer(statement, 0);
  };

  const notFound = (handle: string): EmulatorReply => ({
    status: 404,
    body: { code: "390401", message: `Statement ${handle} not found.`, statementHandle: handle },
  });

  const routes: Route[] = [
    { method: "POST", pattern: "/api/v2/statements", operation: "statements.submit", handler: submit },
    {
      method: "GET",
      pattern: "/api/v2/statements/:handle",
      operation: "statements.status",
      handler: (request) => {
        const statement = statements.byHandle.get(request.params.handle!);
        if (!statement) return notFound(request.params.handle!);
        return statements.answer(statement, Number(request.query.get("partition") ?? 0));
      },
    },
    {
      method: "POST",
      pattern: "/api/v2/statements/:handle/cancel",
      operation: "statements.cancel",
      handler: async (request) => {
        const statement = statements.byHandle.get(request.params.handle!);
        if (!statement) return notFound(request.params.handle!);
        if (statement.status === "running") {
          statement.cancel();
          await statement.done;
        }
        return {
          status: 200,
          body: {
            code: "000604",
            sqlState: "57014",
            message:
              statement.status === "canceled"
                ? "successfully canceled"
                : `Statement ${statement.status}; nothing to cancel`,
            statementHandle: statement.handle,
            statementStatusUrl: statusUrl(statement),
          },
        };
      },
    },
  ];

  return {
    engine,
    statements,
    async close() {
      await Promise.allSettled(
        [...statements.byHandle.values()]
          .filter((s) => s.status === "running")
          .map((s) => {
            s.cancel();
            return s.done;
          }),
      );
      engine.close();
    },
    definition: {
      name: "snowflake",
      routes,
      faults,
      authenticate(request) {
        const result = authenticateSnowflake(request, now());
        if ("status" in result) return result;
        callers.set(request, result);
        if (!request.headers["user-agent"]) {
          return { status: 400, body: { code: "390142", message: "The User-Agent header is required." } };
        }
        return undefined;
      },
      admit: () => (bucket.take() ? {} : { reject: { status: 429, text: "" } }),
      failure(kind, _route, status) {
        if (kind === "rate_limit") return { status: 429, text: "" };
        return { status: kind === "outage" ? 503 : (status ?? 503), text: "" };
      },
      unknownRoute: (_request, methodMismatch) => ({ status: methodMismatch ? 405 : 404, text: "" }),
      state: (): SnowflakeAdminState => ({
        schemaSource: engine.schemaSource,
        statements: [...statements.byHandle.values()].map((s) => ({
          handle: s.handle,
          requestId: s.requestId,
          statement: s.sql.length > 300 ? `${s.sql.slice(0, 299)}…` : s.sql,
          status: s.status,
          submissions: s.submissions,
          executions: s.executions,
          rows: s.rows?.length ?? 0,
          createdOn: s.createdOn,
        })),
        faultsInjected: { ...faults.counts },
      }),
    },
  };
}
