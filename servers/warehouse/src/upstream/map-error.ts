import type { VendorErrorInput, VendorErrorMapping } from "@gtm-mcp/tool-kit/upstream";
import { errorBodySchema } from "./schemas.js";

/** Longest part of a Snowflake message kept (compilation errors quote the SQL around the fault). */
const MESSAGE_MAX = 240;

/**
 * Reads a failed Snowflake answer. 422 is a compilation or execution error of our own
 * catalog SQL: `UPSTREAM_REJECTED` with Snowflake's `code` and `sqlState`. 408 is the
 * statement timing out on Snowflake's side (it was cancelled there): `UPSTREAM_TIMEOUT`,
 * final for this call. 429 and 5xx keep the tool-kit defaults (retried with the same
 * requestId). The message is Snowflake's own short text, never the body.
 */
export function mapSnowflakeError(input: VendorErrorInput): VendorErrorMapping | undefined {
  const parsed = errorBodySchema.safeParse(input.body);
  const body = parsed.success ? parsed.data : {};
  const vendor = body.message ? withoutTokens(body.message).slice(0, MESSAGE_MAX) : undefined;
  const codes = {
    ...(body.code !== undefined ? { snowflakeCode: body.code } : {}),
    ...(body.sqlState !== undefined ? { sqlState: body.sqlState } : {}),
  };
  const details = Object.keys(codes).length > 0 ? { details: codes } : {};
  const requestId = body.statementHandle ? { requestId: body.statementHandle } : {};
  switch (input.status) {
    case 422:
      return {
        code: "UPSTREAM_REJECTED",
        message: `Snowflake rejected the catalog query${body.code ? ` (code ${body.code}${body.sqlState ? `, sqlState ${body.sqlState}` : ""})` : ""}: ${vendor ?? "statement failed"}`,
        ...details,
        ...requestId,
      };
    case 408:
      return {
        code: "UPSTREAM_TIMEOUT",
        message: "The statement ran past its timeout in Snowflake and was cancelled there",
        retry: false,
        ...details,
        ...requestId,
      };
    default:
      if (input.status >= 400 && input.status < 500 && vendor !== undefined)
        return { message: `Snowflake answered ${input.status}: ${vendor}`, ...details, ...requestId };
      return undefined;
  }
}

/**
 * A key-pair JWT is derived from the key, so the scrubber (which knows configured secrets by
 * value) does not know it: anything shaped like a JWT is removed from a vendor message.
 */
export function withoutTokens(text: string): string {
  return text.replace(/eyJ[\w-]+\.[\w-]+\.[\w-]*/g, "[REDACTED]");
}

/** The statement handle, Snowflake's id for what a request did. */
export function snowflakeRequestId(_headers: Record<string, string>, body: unknown): string | undefined {
  if (body !== null && typeof body === "object") {
    const handle = (body as { statementHandle?: unknown }).statementHandle;
    if (typeof handle === "string") return handle;
  }
  return undefined;
}
