import { Ajv, type ErrorObject, type ValidateFunction } from "ajv";
import addFormatsModule from "ajv-formats";

// Checks recorded HTTP exchanges against OpenAPI 3.0 descriptions with Ajv (JSON Schema, with
// OpenAPI's `nullable`) and ajv-formats (date-time, uuid, …): the request's method, path
// template, parameters, auth header and body against the operation it targets, and the
// answer's status and body against that operation's responses.

// ajv-formats is CommonJS: its default export is the plugin under ESM interop.
const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;

/** One request and its answer, as a recording proxy saw them. */
export interface Exchange {
  method: string;
  /** The path without the query. */
  path: string;
  /** Query parameters, each with every value sent. */
  query: Record<string, string[]>;
  /** Request headers, lower-case names. */
  headers: Record<string, string>;
  /** Parsed JSON request body; undefined when none. */
  requestBody?: unknown;
  /** Undefined when the connection was dropped before an answer. */
  status?: number;
  responseContentType?: string;
  /** Parsed JSON answer; undefined when empty or not JSON. */
  responseBody?: unknown;
}

/** Where in an exchange a violation is. */
export type ViolationPlace =
  | "operation"
  | "request.query"
  | "request.headers"
  | "request.body"
  | "response.status"
  | "response.body";

/** One way an exchange departs from its description. */
export interface Violation {
  /** The description's version (e.g. `2026-09`), when the operation was found. */
  version?: string;
  /** `METHOD /path/{template}`, or the request as sent when no operation matches. */
  operation: string;
  where: ViolationPlace;
  status?: number;
  /** JSON pointer into the body (or the parameter name). */
  pointer: string;
  /** Ajv's keyword (`required`, `type`, …) or this checker's (`undescribed`, `missing`). */
  keyword: string;
  message: string;
  params?: Record<string, unknown>;
}

/** One description to check against: a version label and the OpenAPI document. */
export interface Description {
  version: string;
  name: string;
  // biome-ignore lint/suspicious/noExplicitAny: an OpenAPI document
  doc: any;
}

// biome-ignore lint/suspicious/noExplicitAny: OpenAPI objects are walked dynamically
type Json = any;

interface Operation {
  version: string;
  docId: string;
  method: string;
  template: string;
  pattern: RegExp;
  literals: number;
  op: Json;
  pathItem: Json;
  doc: Json;
}

const METHODS = ["get", "put", "post", "delete", "patch"];

/** A checker over `descriptions`: the first operation with the most literal path segments wins. */
export class OpenApiContract {
  private readonly ajv: Ajv;
  private readonly operations: Operation[] = [];
  private readonly compiled = new Map<string, ValidateFunction>();

  constructor(descriptions: readonly Description[]) {
    this.ajv = new Ajv({ strict: false, allErrors: true });
    addFormats(this.ajv);
    this.ajv.addFormat("int32", {
      type: "number",
      validate: (n: number) => Number.isInteger(n) && n >= -(2 ** 31) && n < 2 ** 31,
    });
    this.ajv.addFormat("int64", { type: "number", validate: (n: number) => Number.isInteger(n) });
    for (const { version, name, doc } of descriptions) {
      const docId = `https://openapi.test/${version}/${name}.json`;
      const rewritten = rewriteRefs(doc, docId);
      this.ajv.addSchema({ $id: docId, components: rewritten.components ?? {} });
      for (const [template, pathItem] of Object.entries<Json>(rewritten.paths ?? {})) {
        for (const method of METHODS) {
          if (!pathItem[method]) continue;
          const segments = template.split("/").filter(Boolean);
          this.operations.push({
            version,
            docId,
            method: method.toUpperCase(),
            template,
            pattern: new RegExp(
              `^/${segments.map((s) => (/^\{.+\}$/.test(s) ? "([^/]+)" : escapeRegExp(s))).join("/")}$`,
            ),
            literals: segments.filter((s) => !/^\{.+\}$/.test(s)).length,
            op: pathItem[method],
            pathItem,
            doc: rewritten,
          });
        }
      }
    }
  }

  /** How many operations the descriptions hold. */
  get size(): number {
    return this.operations.length;
  }

  /** The operation `exchange` targets, as `METHOD /template` with its version, if any. */
  operationOf(exchange: Exchange): { version: string; operation: string } | undefined {
    const found = this.find(exchange);
    return found ? { version: found.version, operation: `${found.method} ${found.template}` } : undefined;
  }

  /** Every violation of `exchange` (none: it is as described). */
  check(exchange: Exchange): Violation[] {
    const found = this.find(exchange);
    if (!found) {
      return [
        {
          operation: `${exchange.method} ${exchange.path}`,
          where: "operation",
          pointer: exchange.path,
          keyword: "undescribed",
          message: "no operation of the descriptions has this method and path",
        },
      ];
    }
    const operation = `${found.method} ${found.template}`;
    const at = (v: Omit<Violation, "version" | "operation">): Violation => ({
      version: found.version,
      operation,
      ...v,
    });
    return [...this.checkRequest(found, exchange, at), ...this.checkResponse(found, exchange, at)];
  }

  private find(exchange: Exchange): Operation | undefined {
    let best: Operation | undefined;
    for (const candidate of this.operations) {
      if (candidate.method !== exchange.method.toUpperCase() || !candidate.pattern.test(exchange.path))
        continue;
      if (!best || candidate.literals > best.literals) best = candidate;
    }
    return best;
  }

  private checkRequest(
    found: Operation,
    exchange: Exchange,
    at: (v: Omit<Violation, "version" | "operation">) => Violation,
  ): Violation[] {
    const out: Violation[] = [];
    const parameters: Json[] = [...(found.pathItem.parameters ?? []), ...(found.op.parameters ?? [])].map(
      (p) => resolve(found.doc, p),
    );
    const query = parameters.filter((p) => p.in === "query");
    for (const param of query) {
      const values = exchange.query[param.name];
      if (values === undefined) {
        if (param.required) {
          out.push(
            at({ where: "request.query", pointer: param.name, keyword: "missing", message: "required" }),
          );
        }
        continue;
      }
      const value = queryValue(param.schema ?? {}, values);
      for (const error of this.validate(found, param.schema ?? {}, value)) {
        out.push(at({ where: "request.query", ...fromAjv(error, param.name) }));
      }
    }
    for (const name of Object.keys(exchange.query)) {
      if (!query.some((p) => p.name === name)) {
        out.push(
          at({ where: "request.query", pointer: name, keyword: "undescribed", message: "not a parameter" }),
        );
      }
    }
    const security: Json[] = found.op.security ?? found.doc.security ?? [];
    if (security.length > 0 && !/^Bearer \S+$/.test(exchange.headers.authorization ?? "")) {
      // The descriptions' oauth2 scheme (and HubSpot's service keys and private-app tokens) are sent as Bearer.
      out.push(
        at({
          where: "request.headers",
          pointer: "authorization",
          keyword: "missing",
          message: "no Authorization: Bearer <token>",
        }),
      );
    }
    const body = found.op.requestBody ? resolve(found.doc, found.op.requestBody) : undefined;
    if (body === undefined) {
      if (exchange.requestBody !== undefined) {
        out.push(
          at({
            where: "request.body",
            pointer: "",
            keyword: "undescribed",
            message: "a body where none is described",
          }),
        );
      }
      return out;
    }
    if (exchange.requestBody === undefined) {
      if (body.required)
        out.push(at({ where: "request.body", pointer: "", keyword: "missing", message: "required" }));
      return out;
    }
    if (!/^application\/json\b/.test(exchange.headers["content-type"] ?? "")) {
      out.push(
        at({
          where: "request.headers",
          pointer: "content-type",
          keyword: "type",
          message: `a JSON body sent as ${exchange.headers["content-type"] ?? "no content type"}`,
        }),
      );
    }
    const schema = body.content?.["application/json"]?.schema;
    for (const error of this.validate(found, schema ?? {}, exchange.requestBody)) {
      out.push(at({ where: "request.body", ...fromAjv(error) }));
    }
    return out;
  }

  private checkResponse(
    found: Operation,
    exchange: Exchange,
    at: (v: Omit<Violation, "version" | "operation">) => Violation,
  ): Violation[] {
    if (exchange.status === undefined) return [];
    const { status } = exchange;
    const responses: Json = found.op.responses ?? {};
    const out: Violation[] = [];
    let described = responses[String(status)];
    if (!described && status >= 200 && status < 300) {
      // A success status the description does not list: reported, and its body checked against
      // the success answer the description does give (`default` is HubSpot's error shape).
      out.push(
        at({
          where: "response.status",
          status,
          pointer: "",
          keyword: "undescribed",
          message: `status ${status}`,
        }),
      );
      const success = Object.keys(responses).find((code) => /^2\d\d$/.test(code));
      described = success === undefined ? undefined : responses[success];
      if (!described) return out;
    }
    described ??= responses.default;
    if (!described) {
      return [
        at({
          where: "response.status",
          status,
          pointer: "",
          keyword: "undescribed",
          message: `status ${status}`,
        }),
      ];
    }
    const response = resolve(found.doc, described);
    const content: Json = response.content ?? {};
    const schema = (content["application/json"] ?? content["*/*"])?.schema;
    if (schema === undefined) return out;
    if (exchange.responseBody === undefined) {
      return [
        ...out,
        at({ where: "response.body", status, pointer: "", keyword: "missing", message: "no JSON body" }),
      ];
    }
    return [
      ...out,
      ...this.validate(found, schema, exchange.responseBody).map((error) =>
        at({ where: "response.body", status, ...fromAjv(error) }),
      ),
    ];
  }

  private validate(found: Operation, schema: Json, value: unknown): ErrorObject[] {
    const key = `${found.docId} ${JSON.stringify(schema)}`;
    let validate = this.compiled.get(key);
    if (!validate) {
      validate = this.ajv.compile(schema);
      this.compiled.set(key, validate);
    }
    return validate(value) ? [] : [...(validate.errors ?? [])];
  }
}

/** A query parameter's values in the shape of its schema: arrays comma-split (HubSpot's form), numbers and booleans parsed. */
function queryValue(schema: Json, values: string[]): unknown {
  const scalar = (text: string, type: string | undefined): unknown =>
    type === "integer" || type === "number"
      ? Number(text)
      : type === "boolean"
        ? text === "true"
          ? true
          : text === "false"
            ? false
            : text
        : text;
  if (schema.type === "array")
    return values.flatMap((v) => v.split(",")).map((v) => scalar(v, schema.items?.type));
  return scalar(values[values.length - 1] ?? "", schema.type);
}

function fromAjv(
  error: ErrorObject,
  prefix = "",
): Pick<Violation, "pointer" | "keyword" | "message" | "params"> {
  return {
    pointer: `${prefix}${error.instancePath}`,
    keyword: error.keyword,
    message: error.message ?? error.keyword,
    params: error.params as Record<string, unknown>,
  };
}

/** `#/components/…` refs made absolute to the document's id, so schemas compile on their own. */
function rewriteRefs(value: Json, docId: string): Json {
  if (Array.isArray(value)) return value.map((v) => rewriteRefs(v, docId));
  if (value === null || typeof value !== "object") return value;
  const out: Json = {};
  for (const [key, inner] of Object.entries<Json>(value)) {
    out[key] =
      key === "$ref" && typeof inner === "string" && inner.startsWith("#/")
        ? `${docId}${inner}`
        : rewriteRefs(inner, docId);
  }
  return out;
}

/** A parameter, request body or response given by `$ref` to the document's components. */
function resolve(doc: Json, value: Json): Json {
  let current = value;
  for (let depth = 0; current?.$ref && depth < 5; depth++) {
    const pointer = String(current.$ref).split("#")[1] ?? "";
    current = pointer
      .split("/")
      .filter(Boolean)
      .reduce((node: Json, part) => node?.[part.replace(/~1/g, "/").replace(/~0/g, "~")], doc);
  }
  return current;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
