import { randomUUID } from "node:crypto";
import type { DuckDBConnection } from "@duckdb/node-api";
import type { EmulatorReply } from "../http/types.js";
import { type Binding, BindingError, countPlaceholders, toEngineValues } from "./bindings.js";
import { encodeCell, type RowTypeColumn, rowTypeOf } from "./jsonv2.js";
import { showGrants } from "./show-grants.js";
import {
  isReadOnly,
  rewriteDateTrunc,
  rewriteSessionFunctions,
  type Session,
  snowflakeColumnName,
  systemWaitSeconds,
  verbOf,
} from "./sql-rewrite.js";
import type { WarehouseEngine } from "./warehouse-engine.js";

/** How statements run. */
export interface StatementSettings {
  /** How long a synchronous submit waits before answering 202 (Snowflake: ~45 s). */
  syncWaitMs: number;
  /** Rows in each result partition. */
  partitionRows: number;
  /** Extra time every statement takes (simulates a loaded warehouse). */
  executionDelayMs: number;
}

/** One submitted statement. */
export interface Statement {
  handle: string;
  requestId: string;
  sql: string;
  createdOn: number;
  status: "running" | "succeeded" | "failed" | "canceled";
  /** Times the same requestId was submitted (retry=true resubmits do not run it again). */
  submissions: number;
  executions: number;
  rowType?: RowTypeColumn[];
  rows?: Array<Array<string | null>>;
  failure?: EmulatorReply;
  done: Promise<void>;
  cancel(): void;
}

/** Every statement by handle and by requestId. */
export class StatementBook {
  readonly byHandle = new Map<string, Statement>();
  readonly byRequestId = new Map<string, Statement>();

  constructor(
    private readonly engine: WarehouseEngine,
    readonly settings: StatementSettings,
  ) {}

  /** Starts a statement; it runs in the background. */
  submit(
    sql: string,
    bindings: Record<string, Binding> | undefined,
    timeoutS: number,
    session: Session,
    requestId: string,
  ): Statement {
    const handle = randomUUID();
    let cancel = () => {};
    const statement: Statement = {
      handle,
      requestId,
      sql,
      createdOn: Date.now(),
      status: "running",
      submissions: 1,
      executions: 1,
      done: Promise.resolve(),
      cancel: () => cancel(),
    };
    const failed = (status: number, code: string, sqlState: string, message: string) => {
      statement.status = "failed";
      statement.failure = {
        status,
        body: {
          code,
          sqlState,
          message,
          statementHandle: handle,
          createdOn: statement.createdOn,
          statementStatusUrl: statusUrl(statement),
        },
      };
    };
    statement.done = (async () => {
      let connection: DuckDBConnection | undefined;
      let timer: NodeJS.Timeout | undefined;
      let wake: (() => void) | undefined;
      let halted = false;
      const stopped = new Promise<"canceled" | "timeout">((resolve) => {
        cancel = () => resolve("canceled");
        if (timeoutS > 0) timer = setTimeout(() => resolve("timeout"), timeoutS * 1000);
      });
      const work = (async () => {
        if (this.settings.executionDelayMs > 0)
          await sleep(this.settings.executionDelayMs, (w) => (wake = w));
        if (halted) throw new Error("halted");
        const wait = systemWaitSeconds(sql);
        if (wait !== undefined) {
          await sleep(wait * 1000, (w) => (wake = w));
          return { rowType: rowTypeText("SYSTEM$WAIT", session), rows: [[`waited ${wait} seconds`]] };
        }
        // Emulated: the engine has no roles.
        const grants = showGrants(sql, session);
        if (grants) return grants;
        if (!isReadOnly(sql)) {
          throw Object.assign(
            new Error(
              `SQL access control error:\nInsufficient privileges to operate on ${verbOf(sql) || "statement"} as role '${session.role}'`,
            ),
            {
              snowflake: ["003001", "42501"],
            },
          );
        }
        const { values, types } = toEngineValues(bindings, countPlaceholders(sql));
        const own = await this.engine.connect();
        connection = own;
        let result: Awaited<ReturnType<WarehouseEngine["run"]>>;
        let ranToEnd = false;
        try {
          if (halted) throw new Error("halted");
          result = await this.engine.run(
            own,
            rewriteDateTrunc(rewriteSessionFunctions(sql, session), this.engine.dateColumns),
            values,
            types,
          );
          ranToEnd = !halted;
        } finally {
          // Forgotten before it is given back: a cancel arriving later must not interrupt
          // whichever statement runs on it next.
          connection = undefined;
          this.engine.release(own, ranToEnd);
        }
        const names = result.columns.map((n) => snowflakeColumnName(n, sql));
        return {
          rowType: rowTypeOf(names, result.types, session),
          rows: result.rows.map((row) => row.map((cell, i) => encodeCell(cell, result.types[i]!))),
        };
      })();
      try {
        const outcome = await Promise.race([work, stopped]);
        if (outcome === "canceled" || outcome === "timeout") {
          halted = true;
          connection?.interrupt();
          wake?.();
          work.catch(() => {});
          if (outcome === "canceled") {
            statement.status = "canceled";
            statement.failure = {
              status: 422,
              body: {
                code: "000604",
                sqlState: "57014",
                message: "SQL execution canceled",
                statementHandle: handle,
                createdOn: statement.createdOn,
                statementStatusUrl: statusUrl(statement),
              },
            };
          } else {
            statement.status = "failed";
            statement.failure = {
              status: 408,
              body: {
                code: "000630",
                sqlState: "57014",
                message: `Statement reached its statement or warehouse timeout of ${timeoutS} second(s) and was canceled.`,
                statementHandle: handle,
                createdOn: statement.createdOn,
                statementStatusUrl: statusUrl(statement),
              },
            };
          }
          return;
        }
        statement.rowType = outcome.rowType;
        statement.rows = outcome.rows;
        statement.status = "succeeded";
      } catch (error) {
        const [code, sqlState, message] = classify(error);
        failed(422, code, sqlState, message);
      } finally {
        if (timer) clearTimeout(timer);
      }
    })();
    this.byHandle.set(handle, statement);
    this.byRequestId.set(requestId, statement);
    return statement;
  }

  /**
   * The answer for a statement now: 202 while running, the failure, or partition `partition`
   * of the result (partition 0 carries the metadata; later ones carry `data` only).
   */
  answer(statement: Statement, partition: number): EmulatorReply {
    if (statement.status === "running") {
      return {
        status: 202,
        body: {
          code: "333334",
          message:
            "Asynchronous execution in progress. Use provided query id to perform query monitoring and management.",
          statementHandle: statement.handle,
          statementStatusUrl: statusUrl(statement),
        },
      };
    }
    if (statement.failure) return statement.failure;
    const rows = statement.rows ?? [];
    const size = this.settings.partitionRows;
    const count = Math.max(1, Math.ceil(rows.length / size));
    if (!Number.isInteger(partition) || partition < 0 || partition >= count) {
      return {
        status: 400,
        body: {
          code: "390142",
          message: `Invalid partition ${partition}: the result has ${count} partition(s)`,
          statementHandle: statement.handle,
        },
      };
    }
    const data = rows.slice(partition * size, (partition + 1) * size);
    if (partition > 0) return { status: 200, body: { data } };
    return {
      status: 200,
      body: {
        resultSetMetaData: {
          numRows: rows.length,
          format: "jsonv2",
          partitionInfo: Array.from({ length: count }, (_, i) => {
            const part = rows.slice(i * size, (i + 1) * size);
            return { rowCount: part.length, uncompressedSize: Buffer.byteLength(JSON.stringify(part)) };
          }),
          rowType: statement.rowType ?? [],
        },
        data,
        code: "090001",
        statementStatusUrl: statusUrl(statement),
        requestId: statement.requestId,
        sqlState: "00000",
        statementHandle: statement.handle,
        message: "Statement executed successfully.",
        createdOn: statement.createdOn,
      },
    };
  }
}

/** `/api/v2/statements/<handle>?requestId=<id>`. */
export function statusUrl(statement: Pick<Statement, "handle" | "requestId">): string {
  return `/api/v2/statements/${statement.handle}?requestId=${statement.requestId}`;
}

function rowTypeText(name: string, session: Session): RowTypeColumn[] {
  return [
    {
      name,
      database: session.database,
      schema: session.schema,
      table: "",
      type: "text",
      nullable: true,
      scale: null,
      precision: null,
      length: 16_777_216,
      byteLength: 16_777_216,
      collation: null,
    },
  ];
}

/** An engine error as Snowflake's code, SQL state and message. */
function classify(error: unknown): [string, string, string] {
  const tagged = (error as { snowflake?: [string, string] }).snowflake;
  const text = error instanceof Error ? error.message : String(error);
  if (tagged) return [tagged[0], tagged[1], text];
  if (error instanceof BindingError) return ["002049", "42601", `SQL compilation error: ${text}`];
  const firstLine = text.split("\n")[0] ?? text;
  if (/^Parser Error/i.test(text))
    return [
      "001003",
      "42000",
      `SQL compilation error:\nsyntax error: ${firstLine.replace(/^Parser Error:\s*/i, "")}`,
    ];
  const table = /Table with name (\w+) does not exist/i.exec(text)?.[1];
  if (table)
    return [
      "002003",
      "42S02",
      `SQL compilation error:\nObject '${table.toUpperCase()}' does not exist or not authorized.`,
    ];
  const column = /(?:column|Referenced column) "?(\w+)"? not found/i.exec(text)?.[1];
  if (column)
    return [
      "000904",
      "42000",
      `SQL compilation error: error line 1 at position 0\ninvalid identifier '${column.toUpperCase()}'`,
    ];
  if (/^(Binder|Catalog) Error/i.test(text))
    return ["000904", "42000", `SQL compilation error: ${firstLine.replace(/^\w+ Error:\s*/i, "")}`];
  return ["100038", "22018", `${firstLine.replace(/^\w+ Error:\s*/i, "")}`];
}

function sleep(ms: number, onWake: (wake: () => void) => void): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    onWake(() => {
      clearTimeout(timer);
      resolve();
    });
  });
}
